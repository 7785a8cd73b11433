"""Migrations: from an empty database and from version 1, each recorded once, in order."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.history import HistoryStore, SchemaTooNew
from tui.history.migrations import MIGRATIONS, applied, migrate

NAMES = ["m001_initial", "m002_message_updated", "m003_search", "m004_branches"]


def memory() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", isolation_level=None)


def columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def test_the_migrations_are_numbered_in_order() -> None:
    names = [function.__name__ for function in MIGRATIONS]
    assert names == NAMES
    assert names == sorted(names)


def test_from_empty() -> None:
    db = memory()
    assert migrate(db) == NAMES
    assert applied(db) == NAMES
    assert columns(db, "sessions") == ["id", "title", "backend", "model", "created", "updated"]
    assert columns(db, "messages") == [
        "id", "session_id", "role", "status", "error", "created", "reasoning", "shape",
        "updated", "writer", "parent_id", "chosen",
    ]  # fmt: skip
    assert "parts_search" in {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert migrate(db) == []  # again: nothing to do
    assert applied(db) == NAMES


def insert_version_1_data(db: sqlite3.Connection) -> None:
    db.execute("INSERT INTO sessions VALUES (1, 'Old chat', 'demo', NULL, 100.0, 200.0)")
    db.execute(
        "INSERT INTO messages (id, session_id, role, status, created, shape) "
        "VALUES (1, 1, 'user', 'finished', 150.0, 'str'), "
        "(2, 1, 'assistant', 'stopped', 160.0, 'list')"
    )
    db.execute(
        "INSERT INTO parts (message_id, section, position, kind, body, meta) VALUES "
        "(1, 'value', 0, 'text', 'an ancient question', NULL), "
        "(2, 'value', 0, 'text', 'a fossil answer', NULL), "
        "(2, 'value', 1, 'json', '{\"a\": [1, 2]}', NULL)"
    )


def test_from_version_1_in_memory() -> None:
    db = memory()
    assert migrate(db, stop_after="m001_initial") == ["m001_initial"]
    assert "updated" not in columns(db, "messages")
    insert_version_1_data(db)
    assert migrate(db) == ["m002_message_updated", "m003_search", "m004_branches"]
    # m002 filled in `updated` from `created`; m003 indexed the text already there.
    assert db.execute("SELECT id, updated, writer FROM messages").fetchall() == [
        (1, 150.0, None),
        (2, 160.0, None),
    ]
    found = db.execute("SELECT rowid FROM parts_search WHERE parts_search MATCH 'fossil'")
    assert found.fetchall() == [(2,)]


def test_from_version_1_file_through_the_store(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, stop_after="m001_initial")
    insert_version_1_data(db)
    db.close()
    with HistoryStore(path) as store:
        assert [(s.id, s.title, s.message_count) for s in store.sessions()] == [(1, "Old chat", 2)]
        question, answer = store.messages(1)
        assert (question.value, question.status) == ("an ancient question", "finished")
        assert (answer.value, answer.status) == (["a fossil answer", {"a": [1, 2]}], "stopped")
        assert answer.created.timestamp() == 160.0
        assert [hit.message_id for hit in store.search("ancient")] == [1]
    with sqlite3.connect(path) as db:
        assert applied(db) == NAMES


def test_a_failed_migration_leaves_nothing_half_done(monkeypatch: pytest.MonkeyPatch) -> None:
    def m002_broken(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE messages ADD COLUMN half TEXT")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("tui.history.migrations.MIGRATIONS", [MIGRATIONS[0], m002_broken])
    db = memory()
    with pytest.raises(RuntimeError, match="disk on fire"):
        migrate(db)
    assert applied(db) == ["m001_initial"]
    assert "half" not in columns(db, "messages")


def test_an_unknown_migration_means_a_newer_schema() -> None:
    db = memory()
    migrate(db)
    db.execute("INSERT INTO _migrations VALUES ('m999_from_the_future', 0)")
    with pytest.raises(SchemaTooNew, match=r"m999_from_the_future.*knows up to m004_branches"):
        migrate(db)
