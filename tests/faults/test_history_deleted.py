"""The history file is deleted or replaced under a running chat (issue 20, class 6).

SQLite goes on writing to the file it holds open, which no path names any more, without
an error: the rest of the chat would be in no file. The app notices on its next write
(the path's device and inode are not the open file's), makes the file again and saves
the whole open session there, and says so once. A file put in its place is opened
instead, and what it held is kept; one that is no history gets "history is not being
saved: the file was replaced", once, and is left as it was. Each case runs a real ChatApp
on a real SQLite file, and reads the file back with a fresh connection afterwards.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import tui.app
from tests.faults.test_history_faults import TwoHalves, integrity, snapshot
from tui.app import ChatApp
from tui.history.store import HistoryStore
from tui.widgets.chat.prompt_input import PromptInput


class WatchedApp(ChatApp):
    """A ChatApp that keeps the text of every warning it shows."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.warnings: list[str] = []

    def notify(self, message: str, **options: Any) -> None:  # type: ignore[override]
        if options.get("severity") == "warning":
            self.warnings.append(message)
        super().notify(message, **options)


async def answer(messages: list[dict[str, Any]]) -> AsyncIterator[str]:
    yield f"Answer to {messages[-1]['content']}."


def make(backend: Any, store: HistoryStore) -> WatchedApp:
    app = WatchedApp(backend=backend, history=store, typewriter=0)
    app.animation_level = "none"
    return app


async def turn(app: WatchedApp, pilot: Any, prompt: str) -> None:
    app.query_one(PromptInput).insert(prompt)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


def delete(path: Path) -> None:
    """`rm h.db h.db-wal h.db-shm`, as in the issue."""
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        (path.parent / name).unlink(missing_ok=True)


def this_chat(prompts: list[str]) -> list[tuple[str, str, str]]:
    """The rows a whole chat of `prompts` should leave: each prompt and its answer."""
    rows = []
    for prompt in prompts:
        rows += [("user", "finished", prompt), ("assistant", "finished", f"Answer to {prompt}.")]
    return rows


def rows_of(path: Path, title: str) -> list[tuple[str, str, str]]:
    return [row[2:5] for row in snapshot(path) if row[1] == title]


@pytest.mark.parametrize("how", ["files", "folder"])
async def test_a_history_deleted_between_answers_is_made_again_with_the_whole_chat(
    tmp_path: Path, how: str
) -> None:
    path = tmp_path / "data" / "h.db"
    store = HistoryStore(path)
    other = store.create_session(title="an older chat", backend="echo")
    store.add_message(other, "user", "gone with the file")
    app = make(answer, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await turn(app, pilot, "first question")
        assert app.warnings == []
        if how == "files":
            delete(path)
        else:
            shutil.rmtree(path.parent)
        await turn(app, pilot, "second question")
        await turn(app, pilot, "third question")
        assert app.warnings == [
            f"the history file was deleted: made it again, with this session ({path})"
        ], "said once"
        assert app.history_problem is None
    store.close()
    prompts = ["first question", "second question", "third question"]
    assert rows_of(path, "first question") == this_chat(prompts)
    assert {row[1] for row in snapshot(path)} == {"first question"}, "only the open session"
    assert integrity(path) == "ok"


async def test_a_history_deleted_mid_answer_keeps_the_whole_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.faults.test_history_faults import AFTER, BEFORE

    monkeypatch.setattr(tui.app, "SAVE_EVERY", 0.05)  # save mid-answer without waiting 1 s
    path = tmp_path / "h.db"
    store = HistoryStore(path)
    backend = TwoHalves()
    app = make(backend, store)
    async with app.run_test(size=(100, 30)) as pilot:
        app.query_one(PromptInput).insert("Tell me everything.")
        await pilot.press("enter")
        await asyncio.wait_for(backend.started.wait(), 10)
        await pilot.pause(0.2)  # a save or two of the first half
        delete(path)
        await pilot.pause(0.2)  # the next save finds the file gone
        assert path.exists(), "made again mid-answer"
        backend.go.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.warnings) == 1
    store.close()
    assert rows_of(path, "Tell me everything.") == [
        ("user", "finished", "Tell me everything."),
        ("assistant", "finished", BEFORE + AFTER),
    ]
    assert integrity(path) == "ok"


async def test_a_history_replaced_by_another_keeps_both(tmp_path: Path) -> None:
    """A backup moved over the file: it is opened, kept, and the chat is added to it.
    The WAL left at the path is ours: SQLite would replay it into the backup."""
    path = tmp_path / "h.db"
    backup = tmp_path / "backup.db"
    with HistoryStore(backup) as old:
        kept = old.create_session(title="from the backup", backend="echo")
        old.add_message(kept, "user", "keep me")
    before = snapshot(backup)
    store = HistoryStore(path)
    app = make(answer, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await turn(app, pilot, "first question")
        assert Path(f"{path}-wal").exists(), "the WAL that must not reach the backup"
        os.replace(backup, path)
        await turn(app, pilot, "second question")
        assert app.warnings == [
            f"the history file was replaced: saved this session in the new one ({path})"
        ]
    store.close()
    after = snapshot(path)
    assert after[: len(before)] == before, "what the new file held is kept"
    assert rows_of(path, "first question") == this_chat(["first question", "second question"])
    assert integrity(path) == "ok"


async def test_a_history_replaced_by_a_file_that_is_no_history_is_left_alone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.db"
    store = HistoryStore(path)
    app = make(answer, store)
    garbage = b"not a database, and not to be overwritten\n" * 100
    async with app.run_test(size=(100, 30)) as pilot:
        await turn(app, pilot, "first question")
        delete(path)
        path.write_bytes(garbage)
        await turn(app, pilot, "second question")
        await turn(app, pilot, "third question")
        assert app.warnings == [f"history is not being saved: the file was replaced ({path})"], (
            "warned once"
        )
        assert len(app.conversation.turns) == 3, "the chat goes on"
        # The open session is still listed (from memory), and the app still answers.
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert [info.title for info in store.sessions()] == ["first question"]
    store.close()
    assert path.read_bytes() == garbage
