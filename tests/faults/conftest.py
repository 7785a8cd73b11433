"""Fixtures for the fault tests: a real history file (the SSE server is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.history.store import HistoryStore


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the history file of a test lives."""
    return tmp_path / "history.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[HistoryStore]:
    """The history the app writes to: a real SQLite file."""
    with HistoryStore(db_path) as opened:
        yield opened
