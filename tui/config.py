"""Settings: defaults, then `config.toml`, then the environment, then flags; later wins.

The file lives in the platform's config directory (`inkstream --help` shows where) or
wherever `--config` points:

```toml
backend = "openai"          # the default backend
typewriter = 400            # characters per second; 0 shows text at once
cursor = "▌"
theme = "textual-dark"

[profiles.local]            # chosen with --profile local
backend = "openai"
base_url = "http://127.0.0.1:11434/v1"
model = "llama3.2"
read_timeout = 600          # a slow local model: wait up to 10 minutes between chunks
```
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from platformdirs import user_config_path
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tui.backends import Settings

__all__ = ["Config", "ConfigError", "Profile", "default_config_path", "load_config"]

ENVIRONMENT = {
    "INKSTREAM_BACKEND": "backend",
    "INKSTREAM_PROFILE": "profile",
    "INKSTREAM_MODEL": "model",
    "OPENAI_BASE_URL": "base_url",
    "OPENAI_API_KEY": "api_key",
}
"""Environment variables and the setting each one sets."""


class ConfigError(Exception):
    """A config file or a setting is wrong; the message names the file, line and problem."""


class Profile(BaseModel):
    """A named set of model settings, chosen with `--profile NAME`."""

    model_config = ConfigDict(extra="forbid")

    backend: str | None = None
    """The backend: `demo`, `echo`, `openai`, an installed one, or `module:function`."""
    model: str | None = None
    """The model name the backend asks for."""
    base_url: str | None = None
    """An OpenAI-compatible server's URL."""
    api_key: str | None = Field(default=None, repr=False)
    """The API key; better kept in OPENAI_API_KEY than in a file."""
    system: str | None = None
    """A system prompt."""
    temperature: float | None = Field(default=None, ge=0, le=2)
    """Sampling temperature, 0 to 2."""
    connect_timeout: float | None = Field(default=None, gt=0)
    """Seconds to wait for a connection to the server (default 10)."""
    read_timeout: float | None = Field(default=None, gt=0)
    """Seconds to wait for the answer to begin, and between two chunks (default 120)."""


class Config(Profile):
    """Everything inkstream can be told, as it stands after all sources are applied."""

    backend: str | None = "demo"
    typewriter: float = Field(default=400.0, ge=0)
    """Characters per second at which answers are typed; 0 shows them at once."""
    cursor: str = "▌"
    """Shown after an answer's text while it streams; "" for none."""
    theme: str | None = None
    """A Textual theme name, such as "textual-light"."""
    profile: str | None = None
    """The profile to apply on top of the file's top-level settings."""
    profiles: dict[str, Profile] = Field(default_factory=dict)
    """Named profiles from the file."""

    def settings(self) -> Settings:
        """The part of the config a backend receives."""
        return Settings(
            model=self.model,
            temperature=self.temperature,
            system=self.system,
            base_url=self.base_url,
            api_key=self.api_key,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
        )


def default_config_path() -> Path:
    """`config.toml` in the platform's config directory for inkstream."""
    return user_config_path("inkstream") / "config.toml"


def load_config(
    path: Path | None = None,
    *,
    flags: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
) -> Config:
    """Build the config from defaults, the file, the environment and flags, in that order.

    Args:
        path: The config file; the platform default when `None`. A missing default file
            is fine; a missing file that was asked for is an error.
        flags: Settings given on the command line; `None` values are ignored.
        environ: The environment; `os.environ` when `None`.

    Raises:
        ConfigError: The file cannot be read or parsed, a value is invalid, or the
            profile asked for does not exist.
    """
    explicit = path is not None
    path = path if explicit else default_config_path()
    environ = os.environ if environ is None else environ
    file_values = _read(path, required=explicit)
    env_values = {key: environ[name] for name, key in ENVIRONMENT.items() if environ.get(name)}
    flag_values = {key: value for key, value in (flags or {}).items() if value is not None}
    try:
        from_file = Config.model_validate(file_values)
    except ValidationError as error:
        raise ConfigError(_describe(error, path, file_values)) from None
    chosen = flag_values.get("profile") or env_values.get("profile") or from_file.profile
    profile_values: dict[str, Any] = {}
    if chosen is not None:
        if chosen not in from_file.profiles:
            names = ", ".join(sorted(from_file.profiles)) or "none are defined"
            raise ConfigError(f"No profile named {chosen!r} in {path} (profiles: {names}).")
        profile_values = from_file.profiles[chosen].model_dump(exclude_none=True)
    given = {**env_values, **flag_values}
    try:
        return Config.model_validate({**file_values, **profile_values, **given})
    except ValidationError as error:
        # The file passed on its own, so blame it only for a key nothing overrode.
        kept = {key: value for key, value in file_values.items() if key not in given}
        raise ConfigError(_describe(error, path, kept)) from None


def _read(path: Path, *, required: bool) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if required:
            raise ConfigError(f"{path}: no such config file.") from None
        return {}
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error}.") from None
    try:
        # Universal newlines, as `read_text` reads them and `_line_of` counts them.
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ConfigError(
            f"{path}, line {line}: not UTF-8 text (byte {data[error.start]:#04x})."
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}.") from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        line = _too_deep_line(text)
        raise ConfigError(
            f"{path}, line {line}: arrays or tables nested too deeply "
            f"(more than {MAX_NESTING} levels)."
        ) from None


MAX_NESTING = 100
"""Levels of nesting beyond which a config line is named as too deep."""


def _too_deep_line(text: str) -> int:
    """The line on which `[` and `{` first nest more than `MAX_NESTING` deep (strings and
    comments are not told apart: a file nested that deep is broken either way)."""
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > MAX_NESTING:
                return number
    return 1


def _describe(error: ValidationError, path: Path, file_values: dict[str, Any]) -> str:
    """The first problem, naming the file and the line where the key is set."""
    problem = error.errors()[0]
    location = [str(part) for part in problem["loc"]]
    key = ".".join(location)
    message = problem["msg"]
    if location and _lookup(file_values, problem["loc"]):
        line = _line_of(path, location)
        where = f"{path}, line {line}" if line else str(path)
        return f"{where}: {key}: {message}."
    return f"{key}: {message} (from the environment or the command line)."


def _lookup(values: dict[str, Any], location: tuple[Any, ...]) -> bool:
    current: Any = values
    for part in location:
        if not isinstance(current, dict) or part not in current:
            return False
        current = current[part]
    return True


def _line_of(path: Path, location: list[str]) -> int | None:
    """The line number where the last key of `location` is assigned, within its table."""
    table = ".".join(location[:-1])
    key = re.escape(location[-1])
    in_table = not table
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            in_table = header.group(1).strip() == table
        elif in_table and re.match(rf"\s*[\"']?{key}[\"']?\s*=", line):
            return number
    return None
