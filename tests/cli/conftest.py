"""Keep the user's environment and config file out of the command-line tests."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import tui.config
from tui.app import ChatApp

SETTING_VARIABLES = ("INKSTREAM_", "OPENAI_")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No INKSTREAM_* or OPENAI_* variable, and a default config file that doesn't exist."""
    for name in list(os.environ):
        if name.startswith(SETTING_VARIABLES):
            monkeypatch.delenv(name)
    missing = tmp_path / "no-config-dir" / "config.toml"
    monkeypatch.setattr(tui.config, "default_config_path", lambda: missing)


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """`tmp_path` on the front of `sys.path`; modules imported from it are forgotten after."""
    home = tmp_path / "code"
    home.mkdir()
    monkeypatch.syspath_prepend(str(home))
    yield home
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(home)):
            del sys.modules[name]


class TerminalStdin(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[ChatApp]:
    """Every ChatApp that `main` runs, not run; stdin looks like a terminal."""
    apps: list[ChatApp] = []
    monkeypatch.setattr(ChatApp, "run", lambda self, *args, **kwargs: apps.append(self))
    monkeypatch.setattr(sys, "stdin", TerminalStdin())
    return apps
