"""The config file: precedence of its sources, profiles, and a clear error for every bad
file, naming the file, the line and the problem."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import tui.config
from tui.config import Config, ConfigError, default_config_path, load_config

SECRET = "sk-test-DO-NOT-SHOW-0123456789"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the only line of `text` that contains `needle`."""
    (number,) = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return number


def error_for(path: Path, **options: object) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={}, **options)  # type: ignore[arg-type]
    return str(caught.value)


# Precedence: defaults < file < profile < environment < flags

LAYERED = """\
model = "from-file"
typewriter = 120
profile = "file-choice"

[profiles.file-choice]
system = "profile chosen by the file"

[profiles.local]
model = "from-profile"
base_url = "http://127.0.0.1:11434/v1"
backend = "echo"
"""


def test_each_layer_wins_over_the_one_before(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", LAYERED)
    defaults = Config()

    config = load_config(path, environ={})
    assert config.model == "from-file"
    assert config.typewriter == 120
    assert config.cursor == defaults.cursor, "unset keys keep their defaults"
    assert config.system == "profile chosen by the file"
    assert config.backend == defaults.backend

    config = load_config(path, flags={"profile": "local"}, environ={})
    assert config.model == "from-profile"
    assert config.backend == "echo"
    assert config.base_url == "http://127.0.0.1:11434/v1"
    assert config.typewriter == 120, "a profile leaves the file's other keys alone"
    assert config.system is None, "only the chosen profile applies"

    environ = {"INKSTREAM_MODEL": "from-env", "OPENAI_BASE_URL": "http://env:1/v1"}
    config = load_config(path, flags={"profile": "local"}, environ=environ)
    assert config.model == "from-env"
    assert config.base_url == "http://env:1/v1"
    assert config.backend == "echo"

    flags = {"profile": "local", "model": "from-flag", "typewriter": 0.0, "base_url": None}
    config = load_config(path, flags=flags, environ=environ)
    assert config.model == "from-flag"
    assert config.typewriter == 0, "0 is a value, not an absent flag"
    assert config.base_url == "http://env:1/v1", "a flag left as None doesn't override"


def test_defaults_without_any_file(tmp_path: Path) -> None:
    config = load_config(None, environ={})
    assert config == Config()
    assert config.backend == "demo"


@pytest.mark.parametrize(
    ("variable", "field", "value"),
    [
        ("INKSTREAM_BACKEND", "backend", "echo"),
        ("INKSTREAM_MODEL", "model", "llama3.2"),
        ("OPENAI_BASE_URL", "base_url", "http://127.0.0.1:8000/v1"),
        ("OPENAI_API_KEY", "api_key", SECRET),
    ],
)
def test_each_environment_variable_sets_its_setting(
    variable: str, field: str, value: str, tmp_path: Path
) -> None:
    path = write(tmp_path / "config.toml", f'{field} = "from the file"\n')
    assert getattr(load_config(path, environ={variable: value}), field) == value
    assert getattr(load_config(path, environ={variable: ""}), field) == "from the file"
    flagged = load_config(path, environ={variable: value}, flags={field: "from a flag"})
    assert getattr(flagged, field) == "from a flag"


def test_the_real_environment_is_read_when_none_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INKSTREAM_MODEL", "from-os-environ")
    assert load_config(None).model == "from-os-environ"


# Profiles


PROFILES = """\
backend = "demo"

[profiles.local]
backend = "openai"
base_url = "http://127.0.0.1:11434/v1"
model = "llama3.2"

[profiles.cloud]
backend = "openai"
model = "gpt-4o-mini"
temperature = 0.2
"""


def test_profile_flag_picks_its_table(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", PROFILES)
    local = load_config(path, flags={"profile": "local"}, environ={})
    assert (local.backend, local.base_url, local.model) == (
        "openai",
        "http://127.0.0.1:11434/v1",
        "llama3.2",
    )
    cloud = load_config(path, flags={"profile": "cloud"}, environ={})
    assert (cloud.model, cloud.temperature, cloud.base_url) == ("gpt-4o-mini", 0.2, None)
    assert load_config(path, environ={}).backend == "demo"


def test_inkstream_profile_picks_a_profile_and_the_flag_wins(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", PROFILES)
    environ = {"INKSTREAM_PROFILE": "cloud"}
    assert load_config(path, environ=environ).model == "gpt-4o-mini"
    assert load_config(path, environ=environ, flags={"profile": "local"}).model == "llama3.2"


def test_an_unknown_profile_names_the_file_and_lists_the_profiles(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", PROFILES)
    message = error_for(path, flags={"profile": "lcoal"})
    assert str(path) in message
    assert "'lcoal'" in message
    assert "cloud" in message and "local" in message


def test_an_unknown_profile_without_any_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(None, environ={"INKSTREAM_PROFILE": "local"})
    assert "'local'" in str(caught.value)
    assert str(tui.config.default_config_path()) in str(caught.value)


# Where the file is


def test_an_explicit_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "inkstream.toml"
    message = error_for(path)
    assert str(path) in message


def test_a_missing_default_file_is_fine(tmp_path: Path) -> None:
    assert not tui.config.default_config_path().exists()
    assert load_config(None, environ={}) == Config()


def test_the_default_file_is_read_when_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "config.toml", 'backend = "echo"\ncursor = "_"\n')
    monkeypatch.setattr(tui.config, "default_config_path", lambda: path)
    config = load_config(None, environ={})
    assert (config.backend, config.cursor) == ("echo", "_")


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CONFIG_HOME is a Linux convention")
def test_the_default_path_is_in_the_platform_config_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert default_config_path() == tmp_path / "xdg" / "inkstream" / "config.toml"


# Bad files: the file, the line and the problem


def test_bad_toml_syntax_names_the_file_and_line(tmp_path: Path) -> None:
    text = 'backend = "echo"\ncursor = "▌"\ntheme = textual-light\n'
    path = write(tmp_path / "config.toml", text)
    message = error_for(path)
    assert str(path) in message
    assert f"line {line_of(text, 'theme')}" in message


def test_a_wrong_type_names_the_file_line_key_and_problem(tmp_path: Path) -> None:
    text = 'backend = "echo"\ncursor = "|"\ntypewriter = "fast"\n'
    path = write(tmp_path / "config.toml", text)
    message = error_for(path)
    assert message.startswith(f"{path}, line 3: ")
    assert "typewriter" in message
    assert "number" in message


def test_a_wrong_type_for_a_string(tmp_path: Path) -> None:
    text = "# inkstream\n\ncursor = 5\n"
    path = write(tmp_path / "config.toml", text)
    message = error_for(path)
    assert message.startswith(f"{path}, line {line_of(text, 'cursor')}: cursor")
    assert "string" in message


def test_an_out_of_range_value(tmp_path: Path) -> None:
    text = 'model = "m"\n\ntemperature = 5\n'
    path = write(tmp_path / "config.toml", text)
    message = error_for(path)
    assert message.startswith(f"{path}, line {line_of(text, 'temperature')}: temperature")
    assert "2" in message.split("temperature", 1)[1], "the message gives the limit"


def test_a_negative_typewriter_speed(tmp_path: Path) -> None:
    text = "typewriter = -10\n"
    message = error_for(write(tmp_path / "config.toml", text))
    assert ", line 1: typewriter" in message


def test_an_unknown_key(tmp_path: Path) -> None:
    text = 'backend = "openai"\nmodle = "llama3.2"\n'
    path = write(tmp_path / "config.toml", text)
    message = error_for(path)
    assert message.startswith(f"{path}, line 2: modle")
    assert "not permitted" in message or "unknown" in message.lower()


def test_a_bad_value_in_a_profile_names_its_line_not_an_earlier_same_key(tmp_path: Path) -> None:
    text = """\
temperature = 1.0

[profiles.fine]
temperature = 0.5

[profiles.hot]
model = "m"
temperature = 7.5
"""
    path = write(tmp_path / "config.toml", text)
    message = error_for(path)
    assert message.startswith(f"{path}, line {line_of(text, '7.5')}: ")
    assert "profiles.hot.temperature" in message


def test_an_unknown_key_in_a_profile(tmp_path: Path) -> None:
    text = '[profiles.local]\nbackend = "openai"\nbase-url = "http://x"\n'
    path = write(tmp_path / "config.toml", text)
    message = error_for(path)
    assert message.startswith(f"{path}, line 3: profiles.local.base-url")


def test_a_bad_profile_is_reported_even_when_another_is_chosen(tmp_path: Path) -> None:
    text = '[profiles.good]\nmodel = "m"\n[profiles.bad]\ntemperature = "warm"\n'
    path = write(tmp_path / "config.toml", text)
    message = error_for(path, flags={"profile": "good"})
    assert message.startswith(f"{path}, line 4: profiles.bad.temperature")


def test_a_file_that_is_not_utf8_names_the_file_the_line_and_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('backend = "echo"\ncursor = "é"\n'.encode("latin-1"))
    message = error_for(path)
    assert str(path) in message
    assert ", line 2" in message
    assert "UTF-8" in message or "utf-8" in message


def test_a_directory_is_not_a_config_file(tmp_path: Path) -> None:
    message = error_for(tmp_path)
    assert str(tmp_path) in message


def test_a_bad_flag_is_not_blamed_on_the_file(tmp_path: Path) -> None:
    """The file's `temperature = 1.0` is fine; the flag's 5 is what is out of range."""
    path = write(tmp_path / "config.toml", "temperature = 1.0\ntypewriter = 100\n")
    for flags in ({"temperature": 5.0}, {"typewriter": -1.0}):
        message = error_for(path, flags=flags)
        (key,) = flags
        assert key in message
        assert ", line" not in message, message
        assert "command line" in message


# The API key stays out of reprs and messages


def test_the_api_key_is_in_no_repr(tmp_path: Path) -> None:
    text = f'[profiles.cloud]\nmodel = "gpt-4o-mini"\napi_key = "{SECRET}"\n'
    path = write(tmp_path / "config.toml", text)
    config = load_config(path, flags={"profile": "cloud"}, environ={})
    assert config.api_key == SECRET
    assert config.settings().api_key == SECRET
    for shown in (repr(config), str(config), repr(config.settings()), str(config.settings())):
        assert SECRET not in shown
    from_env = load_config(None, environ={"OPENAI_API_KEY": SECRET})
    assert from_env.settings().api_key == SECRET
    assert SECRET not in repr(from_env) and SECRET not in repr(from_env.settings())


def test_the_api_key_is_not_in_an_error_about_the_file(tmp_path: Path) -> None:
    text = f'api_key = "{SECRET}"\ntemperature = "hot"\n'
    message = error_for(write(tmp_path / "config.toml", text))
    assert SECRET not in message
    unquoted = f"api_key = {SECRET}\n"  # a TOML syntax error on the key's own line
    message = error_for(write(tmp_path / "other.toml", unquoted))
    assert "line 1" in message
    assert SECRET not in message


def test_a_windows_file_reads_and_reports_lines_like_any_other(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'backend = "echo"\r\ncursor = "|"\r\n')
    assert load_config(path, environ={}).cursor == "|"
    path.write_bytes(b'backend = "echo"\r\n\r\ntemperature = 3\r\n')
    assert error_for(path).startswith(f"{path}, line 3: temperature")


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Some Windows editors start UTF-8 files with a BOM; TOML itself does not allow it."""
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'model = "bom-model"\n')
    assert load_config(path, environ={}).model == "bom-model"


@pytest.mark.parametrize("opener", ["[", "{ a = "])
def test_nesting_ten_thousand_deep_names_the_file_and_line(tmp_path: Path, opener: str) -> None:
    """tomllib recurses per level: 10,000 levels were a RecursionError traceback."""
    closer = "]" if opener == "[" else "}"
    path = tmp_path / "config.toml"
    path.write_text(f'backend = "demo"\nx = {opener * 10_000}1{closer * 10_000}\n')
    message = error_for(path)
    assert message.startswith(f"{path}, line 2: ")
    assert "nested too deeply" in message
