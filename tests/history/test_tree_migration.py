"""m004_branches on a file that today's schema wrote: every session becomes one branch,
unchanged (the fixture and its exports were made by the code before branches)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tui.history import HistoryStore, export_json, export_markdown
from tui.history.migrations import applied

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "schema3.sqlite3"
    shutil.copy(FIXTURES / "schema3.sqlite3", path)
    with sqlite3.connect(path) as db:
        assert applied(db) == ["m001_initial", "m002_message_updated", "m003_search"]
    return path


def without_tree(export: dict) -> dict:
    """An export as the code before branches wrote it: version 1, no tree keys."""
    for message in export["messages"]:
        assert message.pop("active") is True
        message.pop("parent")
    return export | {"version": 1}


def test_sessions_are_moved_unchanged_into_single_branches(old_file: Path) -> None:
    before = json.loads((FIXTURES / "schema3-exports.json").read_text())
    with HistoryStore(old_file) as store:
        sessions = store.sessions()
        assert [s.title for s in sessions] == ["Empty", "Troubles", "Two turns"]
        for info in sessions:
            exported = json.loads(json.dumps(export_json(store, info.id)))
            parents = [message["parent"] for message in exported["messages"]]
            assert parents == [None, *range(len(parents) - 1)][: len(parents)]
            assert without_tree(exported) == before["json"][str(info.id)]
            assert export_markdown(store, info.id) == before["markdown"][str(info.id)]
            assert store.other_branches(info.id) == 0
            branch = store.branch(info.id)
            assert all(message.siblings == (message.id,) for message in branch)
        assert [hit.session_id for hit in store.search("monad")] == [sessions[2].id]
    with sqlite3.connect(old_file) as db:
        assert applied(db)[-1] == "m004_branches"


def test_a_migrated_session_grows_on_its_branch(old_file: Path) -> None:
    with HistoryStore(old_file) as store:
        chat = next(s.id for s in store.sessions() if s.title == "Two turns")
        last_prompt = store.branch(chat)[-2]
        new = store.add_message(chat, "assistant", "regenerated", parent=last_prompt.id)
        assert [m.value for m in store.branch(chat)][-1] == "regenerated"
        assert store.siblings(new)[-1] == new and len(store.siblings(new)) == 2
        assert store.other_branches(chat) == 1
