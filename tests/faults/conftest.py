"""Fixtures for the fault tests: a loopback SSE server, a real history file, no OpenAI
settings from the developer's environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.stream.sse_server import SSEServer, serve
from tui.history.store import HistoryStore


@pytest.fixture
def sse() -> Iterator[SSEServer]:
    """A Chat Completions SSE server on 127.0.0.1, on an ephemeral port."""
    yield from serve()


@pytest.fixture(autouse=True)
def no_openai_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own `OPENAI_*` variables must never reach a test."""
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the history file of a test lives."""
    return tmp_path / "history.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[HistoryStore]:
    """The history the app writes to: a real SQLite file."""
    with HistoryStore(db_path) as opened:
        yield opened
