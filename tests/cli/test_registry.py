"""The backend registry: entry points, `module:function` and `./file.py:function`, and
every way a `--backend` can be wrong, each one line on stderr and exit code 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import tui.cli
from tui.backends import echo as echo_module
from tui.backends.demo import demo
from tui.backends.registry import BackendLoadError, available, load
from tui.stream import collect

MESSAGES = [{"role": "user", "content": "make it loud"}]

SHOUT_SUMMARY = "Shout the last prompt back in capitals."
SHOUT_SOURCE = f'''\
def shout(messages):
    """{SHOUT_SUMMARY}

    This second paragraph is not part of the one-line description.
    """
    for word in messages[-1]["content"].split():
        yield word.upper() + "!"
'''


def shouted(messages: list[dict[str, str]]) -> str:
    """What SHOUT_SOURCE's backend answers, worked out independently."""
    return "".join(word.upper() + "!" for word in messages[-1]["content"].split())


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def install_dist(site: Path, name: str, entry_points: str, version: str = "0.1") -> None:
    """A real `.dist-info` on a `sys.path` folder, as pip would leave it."""
    info = site / f"{name}-{version}.dist-info"
    write(info / "METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    write(info / "entry_points.txt", f"[inkstream.backends]\n{entry_points}\n")


def first_line(function: Callable[..., object]) -> str:
    return (function.__doc__ or "").strip().splitlines()[0]


# Loading


def test_a_module_function_backend_loads(sandbox: Path) -> None:
    write(sandbox / "inkmod_plain.py", SHOUT_SOURCE)
    backend = load("inkmod_plain:shout")
    assert backend is sys.modules["inkmod_plain"].shout
    assert collect(backend(MESSAGES)) == shouted(MESSAGES)


def test_a_package_module_function_backend_loads(sandbox: Path) -> None:
    write(sandbox / "inkpkg" / "__init__.py", "")
    write(sandbox / "inkpkg" / "chat" / "__init__.py", "")
    write(sandbox / "inkpkg" / "chat" / "backends.py", SHOUT_SOURCE)
    backend = load("inkpkg.chat.backends:shout")
    assert collect(backend(MESSAGES)) == shouted(MESSAGES)


def test_a_dotted_attribute_reaches_a_method(sandbox: Path) -> None:
    write(
        sandbox / "inkmod_dotted.py",
        "class Bot:\n"
        "    def __init__(self, word):\n"
        "        self.word = word\n"
        "    def answer(self, messages):\n"
        "        yield self.word\n"
        "bot = Bot('dotted')\n",
    )
    assert collect(load("inkmod_dotted:bot.answer")(MESSAGES)) == "dotted"


@pytest.mark.parametrize("form", ["absolute", "relative", "bare"])
def test_a_file_backend_loads(form: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`/abs/file.py:f`, `./file.py:f` from the working directory, and `file.py:f`."""
    path = write(tmp_path / "project" / "my_shout.py", SHOUT_SOURCE)
    monkeypatch.chdir(path.parent)
    spec = {
        "absolute": f"{path}:shout",
        "relative": "./my_shout.py:shout",
        "bare": "my_shout.py:shout",
    }[form]
    try:
        backend = load(spec)
        assert collect(backend(MESSAGES)) == shouted(MESSAGES)
        assert backend.__doc__ is not None and SHOUT_SUMMARY in backend.__doc__
    finally:
        for name, module in list(sys.modules.items()):
            if getattr(module, "__file__", None) == str(path):
                del sys.modules[name]


def test_a_relative_file_is_found_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same relative spec loads a different file from a different directory."""
    write(tmp_path / "a" / "pick.py", "def f(messages):\n    yield 'from a'\n")
    write(tmp_path / "b" / "pick.py", "def f(messages):\n    yield 'from b'\n")
    answers = []
    for folder in ("a", "b"):
        monkeypatch.chdir(tmp_path / folder)
        answers.append(collect(load("./pick.py:f")(MESSAGES)))
    assert answers == ["from a", "from b"]


def test_built_in_backends_are_entry_points() -> None:
    points = available()
    assert {"demo", "echo", "openai"} <= set(points)
    assert load("echo") is echo_module.echo
    assert load("demo") is demo


def test_an_entry_point_backend_from_a_real_dist_info(
    sandbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(sandbox / "shoutpkg.py", SHOUT_SOURCE)
    install_dist(sandbox, "shoutpkg", "shout = shoutpkg:shout")

    points = available()
    assert "shout" in points
    assert points["shout"].value == "shoutpkg:shout"
    assert "shoutpkg" not in sys.modules, "listing backends imports none of them"

    backend = load("shout")
    assert backend is sys.modules["shoutpkg"].shout
    assert collect(backend(MESSAGES)) == shouted(MESSAGES)

    assert tui.cli.main(["backends"]) == 0
    lines = capsys.readouterr().out.splitlines()
    (line,) = [line for line in lines if line.split()[0] == "shout"]
    assert line.split(None, 1)[1] == SHOUT_SUMMARY


def test_inkstream_backends_lists_the_built_ins_with_their_descriptions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert tui.cli.main(["backends"]) == 0
    listed = {
        line.split(None, 1)[0]: line.split(None, 1)[1]
        for line in capsys.readouterr().out.splitlines()
    }
    assert listed["echo"] == first_line(echo_module.echo)
    assert listed["demo"] == first_line(demo)
    assert set(available()) <= set(listed)


def test_a_broken_entry_point_is_listed_and_does_not_hide_the_others(
    sandbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install_dist(sandbox, "brokenpkg", "broken = inkmod_not_installed:backend")
    assert tui.cli.main(["backends"]) == 0
    captured = capsys.readouterr()
    lines = {line.split(None, 1)[0]: line for line in captured.out.splitlines()}
    assert "inkmod_not_installed" in lines["broken"]
    assert "echo" in lines
    assert "Traceback" not in captured.out + captured.err

    assert tui.cli.main(["-p", "hi", "--backend", "broken"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "broken" in err and "inkmod_not_installed" in err


def test_a_backend_failing_to_load_takes_one_line_of_the_listing(
    sandbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(sandbox / "inkmod_loud.py", 'raise RuntimeError("cannot start\\nsecond line")\n')
    install_dist(sandbox, "loudpkg", "loud = inkmod_loud:chat")
    assert tui.cli.main(["backends"]) == 0
    out = capsys.readouterr().out
    (line,) = [line for line in out.splitlines() if "cannot start" in line]
    assert line.split()[0] == "loud"
    assert "second line" not in out


# Every bad --backend: one line on stderr, exit code 2


def run_bad(spec: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Run `inkstream -p hi --backend SPEC`; check the exit code and return the one line."""
    code = tui.cli.main(["-p", "hi", "--backend", spec])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert captured.err.startswith("inkstream: error: ")
    assert captured.err.endswith("\n") and captured.err.count("\n") == 1, captured.err
    return captured.err


def test_an_unknown_name_lists_the_installed_backends(capsys: pytest.CaptureFixture[str]) -> None:
    err = run_bad("no-such-backend", capsys)
    assert "'no-such-backend'" in err
    for name in available():
        assert name in err
    assert "module:function" in err


def test_a_module_that_is_not_there(sandbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = run_bad("inkmod_absent:chat", capsys)
    assert "no module named 'inkmod_absent'" in err.lower()


def test_a_package_without_the_submodule(sandbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(sandbox / "inkpkg_half" / "__init__.py", "")
    err = run_bad("inkpkg_half.gone:chat", capsys)
    assert "inkpkg_half.gone" in err


def test_a_module_whose_import_raises(sandbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(sandbox / "inkmod_boom.py", 'raise RuntimeError("boom")\n')
    err = run_bad("inkmod_boom:chat", capsys)
    assert "boom" in err
    assert "RuntimeError" in err


def test_an_import_error_with_a_long_message_stays_on_one_line(
    sandbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(sandbox / "inkmod_wordy.py", 'raise RuntimeError("boom\\nand much more detail")\n')
    err = run_bad("inkmod_wordy:chat", capsys)
    assert "boom" in err


def test_a_missing_dependency_of_the_backend_is_not_blamed_on_the_spec(
    sandbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`inkplugin_extra` exists but imports `inkplugin`, which doesn't: the module was found
    and failed to import, even though its name starts with the missing one's."""
    write(sandbox / "inkplugin_extra.py", "import inkplugin\n")
    err = run_bad("inkplugin_extra:chat", capsys)
    assert "failed to import" in err
    assert "inkplugin'" in err
    assert "on the Python path" not in err


def test_a_missing_dependency_is_named(sandbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(sandbox / "inkmod_needs.py", "import inkmod_dependency_absent\n")
    err = run_bad("inkmod_needs:chat", capsys)
    assert "inkmod_dependency_absent" in err
    assert "failed to import" in err


def test_a_missing_attribute(sandbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(sandbox / "inkmod_noattr.py", SHOUT_SOURCE)
    err = run_bad("inkmod_noattr:whisper", capsys)
    assert "'whisper'" in err
    assert "inkmod_noattr" in err


def test_an_attribute_that_is_not_callable(
    sandbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(sandbox / "inkmod_value.py", "chat = 42\n")
    err = run_bad("inkmod_value:chat", capsys)
    assert "int" in err
    assert "not a callable" in err


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nowhere" / "bot.py"
    err = run_bad(f"{path}:chat", capsys)
    assert str(path) in err
    assert "no file" in err


def test_a_file_with_a_syntax_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "broken_bot.py", "def chat(messages):\n    yield (\n")
    err = run_bad(f"{path}:chat", capsys)
    assert "SyntaxError" in err
    assert "broken_bot.py" in err
    assert not [name for name in sys.modules if name.endswith("broken_bot")]


def test_a_file_whose_code_raises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "raising_bot.py", "raise ValueError('no token configured')\n")
    err = run_bad(f"{path}:chat", capsys)
    assert "no token configured" in err


@pytest.mark.parametrize("spec", [":chat", "inkmod_plain:", ":", "./bot.py:"])
def test_a_malformed_spec(spec: str, capsys: pytest.CaptureFixture[str]) -> None:
    err = run_bad(spec, capsys)
    assert repr(spec) in err
    assert "module:function" in err


def test_load_raises_backend_load_error_not_the_cause(sandbox: Path) -> None:
    """The API callers use: one exception type whatever went wrong."""
    write(sandbox / "inkmod_api.py", "raise KeyError('missing')\n")
    for spec in ("inkmod_api:chat", "no-such-backend", ":x", "inkmod_absent_too:f"):
        with pytest.raises(BackendLoadError):
            load(spec)
