"""The history file fails while an answer streams: read-only, or the disk is full.

The app warns once ("history is not being saved: <reason>"), the answer streams on to its
end, the chat goes on, and what the file held before is untouched: a fresh connection
reads back the old rows as they were, and SQLite's integrity check passes.

The faults are SQLite's own, on the real file the app writes. `PRAGMA query_only` makes
the app's connection read-only: SQLite fails each write with SQLITE_READONLY, as for a
read-only file (`chmod` can't stand in: it doesn't affect a file already open, and root
ignores it). `PRAGMA max_page_count` caps the file at the size it has: SQLite fails a
write that needs a new page with SQLITE_FULL, as on a full disk. Where this process may
mount a tmpfs (root on Linux), a real full disk is tested too: a 1 MiB tmpfs filled up
mid-answer, so the write fails with ENOSPC from the kernel.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

import tui.app
from tests.app.helpers import make_app
from tests.faults.terminal import ROOT, Terminal
from tui.history.store import HistoryStore
from tui.widgets.chat.chat_message import ChatMessage
from tui.widgets.chat.prompt_input import PromptInput
from tui.widgets.chat.session_list import SessionList
from tui.widgets.transcript import MarkdownLines

BEFORE = "The first half of the answer, saved while it streams. "
AFTER = "The second half, streamed after the history failed, needs more pages. " * 300


class TwoHalves:
    """A backend that streams one half, waits for `go`, then streams the other."""

    def __init__(self) -> None:
        self.go = asyncio.Event()
        self.started = asyncio.Event()

    async def __call__(self, messages: list[dict[str, Any]]) -> AsyncIterator[str]:
        yield BEFORE
        self.started.set()
        await self.go.wait()
        yield AFTER


def old_history(store: HistoryStore) -> int:
    """A session from before, with text, an object and a failed turn in it."""
    session_id = store.create_session(title="before", backend="echo")
    store.add_message(session_id, "user", "What is in the box?")
    store.add_message(session_id, "assistant", ["A list:", {"apples": 3}, "and more."])
    store.add_message(session_id, "user", "And then?")
    store.add_message(session_id, "assistant", "half", status="failed", error="It fell over")
    return session_id


def snapshot(path: Path) -> list[tuple[Any, ...]]:
    """Every session and message in the file, oldest first, read by a fresh connection."""
    with HistoryStore(path) as fresh:
        return [
            (info.id, info.title, m.role, m.status, m.value, m.error)
            for info in sorted(fresh.sessions(), key=lambda info: info.id)
            for m in fresh.messages(info.id)
        ]


def integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def read_only(store: HistoryStore) -> None:
    store._db.execute("PRAGMA query_only = ON")


def capped(store: HistoryStore) -> None:
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")


async def saved(path: Path, text: str, timeout: float = 30) -> None:
    """Wait until the last message in the file, read by a fresh connection, is `text`."""
    for _ in range(int(timeout / 0.05)):
        rows = snapshot(path)
        if rows and rows[-1][4] == text:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{text!r} was never saved: {snapshot(path)[-1:]}")


async def stream_through_a_fault(
    path: Path, store: HistoryStore, fault: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Stream an answer, apply `fault` in its middle, then chat on; return the warnings."""
    monkeypatch.setattr(tui.app, "SAVE_EVERY", 0.05)  # save mid-answer without waiting 1 s
    backend = TwoHalves()
    app = make_app(backend, history=store)
    warnings: list[str] = []
    notify = app.notify

    def noted(message: str, **options: Any) -> None:
        if options.get("severity") == "warning":
            warnings.append(message)
        notify(message, **options)

    app.notify = noted  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        app.query_one(PromptInput).insert("Tell me everything.")
        await pilot.press("enter")
        await asyncio.wait_for(backend.started.wait(), 10)
        await saved(path, BEFORE)  # the first half is in the file before the fault
        fault()
        await pilot.pause(0.2)  # a save fails mid-answer
        backend.go.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        answer = app.query(ChatMessage).filter(".-assistant").last()
        assert answer.query_one(MarkdownLines).source == BEFORE + AFTER, "the answer streamed on"
        assert app.conversation.turns[-1].response == BEFORE + AFTER
        app.query_one(PromptInput).insert("And a second question?")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.conversation.turns) == 2
        assert app.conversation.turns[-1].response == BEFORE + AFTER, "the chat carries on"
        assert app.is_running
    return warnings


@pytest.fixture
def before(db_path: Path, store: HistoryStore) -> list[tuple[Any, ...]]:
    old_history(store)
    return snapshot(db_path)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [(read_only, "the history file is read-only"), (capped, "the disk is full")],
    ids=["read-only", "full"],
)
async def test_a_history_that_fails_mid_answer(
    db_path: Path,
    store: HistoryStore,
    before: list[tuple[Any, ...]],
    monkeypatch: pytest.MonkeyPatch,
    fault: Callable[[HistoryStore], None],
    reason: str,
) -> None:
    warnings = await stream_through_a_fault(db_path, store, lambda: fault(store), monkeypatch)
    assert warnings == [f"history is not being saved: {reason} ({db_path})"], "warned once"
    store.close()
    after = snapshot(db_path)
    assert after[: len(before)] == before, "nothing already in the file is harmed"
    (prompt, answer) = after[len(before) :]
    assert prompt[2:5] == ("user", "finished", "Tell me everything.")
    assert answer[2] == "assistant"
    assert answer[4] == BEFORE, "what was saved before the fault is kept"
    assert integrity(db_path) == "ok"


@contextlib.contextmanager
def tiny_tmpfs(where: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs at `where`, or a skip where mounting is not allowed."""
    where.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "--lazy", str(where)], check=False)


def fill(disk: Path) -> None:
    """Write a file until the kernel says the disk is full."""
    with open(disk / "filler", "wb", buffering=0) as filler, contextlib.suppress(OSError):
        while True:
            filler.write(bytes(64 * 1024))


async def test_a_disk_that_really_fills_mid_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with tiny_tmpfs(tmp_path / "disk") as disk:
        path = disk / "history.sqlite3"
        with HistoryStore(path) as store:
            old_history(store)
            before = snapshot(path)
            warnings = await stream_through_a_fault(path, store, lambda: fill(disk), monkeypatch)
        assert warnings == [f"history is not being saved: the disk is full ({path})"]
        (disk / "filler").unlink()
        assert snapshot(path)[: len(before)] == before
        assert integrity(path) == "ok"


def test_a_write_that_fails_at_commit_leaves_no_transaction_open(store: HistoryStore) -> None:
    """A deferred constraint fails at COMMIT, where SQLite does not roll back by itself."""
    session_id = store.create_session(title="kept", backend="echo")
    with pytest.raises(sqlite3.IntegrityError), store._transaction() as db:
        db.execute("PRAGMA defer_foreign_keys = ON")
        db.execute(
            "INSERT INTO messages (session_id, role, status, created, updated, reasoning, shape)"
            " VALUES (?, 'user', 'finished', 0, 0, '', 'str')",
            (session_id + 1000,),
        )
    assert not store._db.in_transaction
    store.add_message(session_id, "user", "the next write works")
    assert [m.value for m in store.messages(session_id)] == ["the next write works"]


async def test_renaming_or_deleting_in_a_read_only_history_says_why(
    db_path: Path, store: HistoryStore, before: list[tuple[Any, ...]]
) -> None:
    """The session list stays open with an error; the session stays as it was."""
    app = make_app(TwoHalves(), history=store)
    errors: list[str] = []
    notify = app.notify

    def noted(message: str, **options: Any) -> None:
        if options.get("severity") == "error":
            errors.append(message)
        notify(message, **options)

    app.notify = noted  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        read_only(store)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "a new title"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("d", "d")
        await pilot.pause()
        assert isinstance(app.screen, SessionList)
        assert app.is_running
    assert errors == [
        f"Could not {verb} the session: the history file is read-only."
        for verb in ("rename", "delete")
    ]
    store.close()
    assert snapshot(db_path) == before


def inkstream(*arguments: str) -> subprocess.CompletedProcess[str]:
    """The real command with no terminal: history commands, one line on stderr."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_a_file_that_is_not_a_history_gets_one_line_and_is_left_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    result = inkstream("--db", str(notes), "--list")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"inkstream: error: {notes}: not a readable history (file is not a database)\n"
    )
    assert notes.read_text() == "my notes\n"


def test_the_chat_does_not_start_on_a_file_that_is_not_a_history(tmp_path: Path) -> None:
    """The TUI path, in a terminal: one line and exit 2, before the screen is taken."""
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    terminal = Terminal("--db", str(notes))
    try:
        code = terminal.process.wait(timeout=30)
    finally:
        terminal.close()
    said = bytes(terminal.output).decode()
    assert code == 2, said
    assert (
        said.strip()
        == f"inkstream: error: {notes}: not a readable history (file is not a database)"
    )


def test_a_history_on_a_read_only_or_full_disk_at_startup(tmp_path: Path) -> None:
    """A real read-only mount, then a real full disk: one line each, the file untouched."""
    with tiny_tmpfs(tmp_path / "disk") as disk:
        path = disk / "history.sqlite3"
        with HistoryStore(path) as store:
            old_history(store)
        before = snapshot(path)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        try:
            read_only = inkstream("--db", str(path), "--list")
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        fill(disk)
        fresh = disk / "new.sqlite3"
        full = inkstream("--db", str(fresh), "--list")
        (disk / "filler").unlink()
        assert snapshot(path) == before
    advice = "(--no-history chats without saving)"
    assert (read_only.returncode, full.returncode) == (2, 2)
    assert read_only.stderr == (
        f"inkstream: error: {path}: the history file can't be opened for writing {advice}\n"
    )
    assert full.stderr == f"inkstream: error: {fresh}: the disk is full {advice}\n"
