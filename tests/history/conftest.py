"""Shared fixtures for the history store's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.history.store import HistoryStore


@pytest.fixture
def store() -> Iterator[HistoryStore]:
    """A fresh store in memory."""
    with HistoryStore(":memory:") as store:
        yield store


@pytest.fixture
def file_store(tmp_path: Path) -> Iterator[HistoryStore]:
    """A fresh store in a file, for what needs WAL or a second connection."""
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        yield store
