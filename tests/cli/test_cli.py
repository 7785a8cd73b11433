"""The `inkstream` command: `python -m tui` end to end in subprocesses, and `main()` in
process with `ChatApp.run`, the terminal boundary, replaced by a recorder."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import tui.cli
from tui.app import ChatApp
from tui.backends.demo import demo
from tui.backends.echo import echo
from tui.stream import collect

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def echoed(prompt: str) -> str:
    """What the echo backend answers, newline-terminated as print mode ends it."""
    text = collect(echo([{"role": "user", "content": prompt}], delay=0))
    return text if text.endswith("\n") else text + "\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# End to end: `python -m tui` in a subprocess


def inkstream(
    tmp_path: Path, *args: str, input: str | None = None, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m tui ARGS` with a home of its own, so no user config leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INKSTREAM_", "OPENAI_"))}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("PYTHONPATH", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=ROOT,
        env=env,
        input=input,
        stdin=subprocess.DEVNULL if input is None else None,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_version(tmp_path: Path) -> None:
    result = inkstream(tmp_path, "--version")
    assert (result.returncode, result.stdout.strip()) == (0, VERSION)


def test_help_is_worth_reading(tmp_path: Path) -> None:
    result = inkstream(tmp_path, "--help")
    assert result.returncode == 0
    for option in ("--backend", "--model", "--base-url", "--typewriter", "-p", "--profile"):
        assert option in result.stdout
    assert "module:function" in result.stdout
    assert "OPENAI_BASE_URL" in result.stdout


def test_print_mode_with_a_prompt_flag(tmp_path: Path) -> None:
    result = inkstream(tmp_path, "-p", "hello world", "--backend", "echo")
    assert (result.returncode, result.stdout, result.stderr) == (0, echoed("hello world"), "")


def test_print_mode_reads_the_prompt_from_a_pipe(tmp_path: Path) -> None:
    result = inkstream(tmp_path, "--backend", "echo", input="piped text")
    assert (result.returncode, result.stdout, result.stderr) == (0, echoed("piped text"), "")


def test_an_empty_pipe_is_a_clear_error(tmp_path: Path) -> None:
    result = inkstream(tmp_path, "--backend", "echo", input="  \n")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "prompt is empty" in result.stderr


def test_an_unknown_backend_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = inkstream(tmp_path, "--backend", "nope", "-p", "hi")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_default_config_file_is_found_and_a_bad_one_named(tmp_path: Path) -> None:
    """The platform config directory (here XDG_CONFIG_HOME) holds `inkstream/config.toml`."""
    config = write(tmp_path / "config" / "inkstream" / "config.toml", 'backend = "echo"\n')
    result = inkstream(tmp_path, "-p", "from the default config")
    assert (result.returncode, result.stdout) == (0, echoed("from the default config"))

    text = 'backend = "echo"\ncursor = "|"\ntypewriter = "fast"\n'
    write(config, text)
    result = inkstream(tmp_path, "-p", "hi")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"{config}, line 3" in result.stderr
    assert "typewriter" in result.stderr
    assert "Traceback" not in result.stderr


FAILING_BACKEND = '''\
def backend(messages):
    """Starts an answer, then fails."""
    yield "partial "
    yield "answer"
    raise RuntimeError("the model fell over\\nwith a second line")
'''


def test_a_backend_failing_mid_stream_keeps_the_text_and_exits_1(tmp_path: Path) -> None:
    write(tmp_path / "code" / "inkfail.py", FAILING_BACKEND)
    result = inkstream(
        tmp_path, "--backend", "inkfail:backend", "-p", "go", pythonpath=tmp_path / "code"
    )
    assert result.returncode == 1
    assert result.stdout == "partial answer\n"
    assert result.stderr.startswith("inkstream: ")
    assert result.stderr.count("\n") == 1
    assert "the model fell over" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_inkstream_script_finds_a_module_in_the_working_directory(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "inkstream"
    if not script.exists():
        pytest.skip("the inkstream script is not installed in this environment")
    write(tmp_path / "inkcwd.py", "def chat(messages):\n    yield 'from the working directory'\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INKSTREAM_", "OPENAI_"))}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [str(script), "--backend", "inkcwd:chat", "-p", "hi"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (0, "from the working directory\n")


# In process: main() with the terminal boundary replaced


def test_no_arguments_runs_the_offline_demo(
    launched: list[ChatApp], capsys: pytest.CaptureFixture[str]
) -> None:
    assert tui.cli.main([]) == 0
    (app,) = launched
    assert app.backend is demo
    assert app.backend_name == "demo"
    assert capsys.readouterr() == ("", "")


def test_flags_and_the_config_file_reach_the_app(
    launched: list[ChatApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(
        tmp_path / "config.toml",
        'backend = "echo"\ntypewriter = 90\ncursor = "_"\ntheme = "textual-light"\n'
        'model = "file-model"\nsystem = "from the file"\n',
    )
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    flags = ["--model", "flag-model", "--temperature", "0.7", "--cursor", "#"]
    flags += ["--base-url", "http://127.0.0.1:1/v1"]
    assert tui.cli.main(["--config", str(config), *flags]) == 0
    (app,) = launched
    assert app.backend is echo
    assert app.typewriter == 90
    assert app.cursor == "#"
    assert app.theme == "textual-light"
    settings = app.settings
    assert (settings.model, settings.temperature, settings.system) == (
        "flag-model",
        0.7,
        "from the file",
    )
    assert (settings.base_url, settings.api_key) == ("http://127.0.0.1:1/v1", "sk-from-env")


def test_typewriter_zero_and_an_empty_cursor_are_kept(launched: list[ChatApp]) -> None:
    assert tui.cli.main(["--typewriter", "0", "--cursor", "", "--api-key", "sk-flag"]) == 0
    (app,) = launched
    assert app.typewriter == 0
    assert app.cursor is None
    assert app.settings.api_key == "sk-flag"


def test_a_profile_chooses_the_backend_and_model(launched: list[ChatApp], tmp_path: Path) -> None:
    config = write(
        tmp_path / "config.toml",
        '[profiles.local]\nbackend = "echo"\nmodel = "llama3.2"\n'
        'base_url = "http://127.0.0.1:11434/v1"\n',
    )
    assert tui.cli.main(["--config", str(config), "--profile", "local"]) == 0
    (app,) = launched
    assert app.backend is echo
    assert (app.settings.model, app.settings.base_url) == (
        "llama3.2",
        "http://127.0.0.1:11434/v1",
    )


def test_an_unknown_theme_lists_the_themes(
    launched: list[ChatApp], capsys: pytest.CaptureFixture[str]
) -> None:
    assert tui.cli.main(["--theme", "nope"]) == 2
    assert launched == [], "the app is not run"
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "'nope'" in err
    for theme in ChatApp().available_themes:
        assert theme in err


def test_print_mode_in_process_uses_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], launched: list[ChatApp]
) -> None:
    config = write(tmp_path / "config.toml", 'backend = "echo"\n')
    assert tui.cli.main(["--config", str(config), "-p", "in process"]) == 0
    assert capsys.readouterr() == (echoed("in process"), "")
    assert launched == [], "print mode runs no app"


def test_a_blank_prompt_flag_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert tui.cli.main(["-p", "   ", "--backend", "echo"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "prompt is empty" in captured.err and captured.err.count("\n") == 1


def test_an_explicit_missing_config_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.toml"
    assert tui.cli.main(["--config", str(missing), "-p", "hi"]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [["--temperature", "warm"], ["--typewriter", "fast"], ["--no-such-flag"], ["frobnicate"]],
)
def test_argparse_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        tui.cli.main(argv)
    assert exit.value.code == 2
    assert "usage: inkstream" in capsys.readouterr().err


def test_a_flag_out_of_range_is_blamed_on_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write(tmp_path / "config.toml", "temperature = 1.0\n")
    assert tui.cli.main(["--config", str(config), "--temperature", "9", "-p", "hi"]) == 2
    err = capsys.readouterr().err
    assert "temperature" in err and "command line" in err
    assert ", line" not in err
