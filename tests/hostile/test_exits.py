"""A backend's `KeyboardInterrupt`, `SystemExit` and odd values are a failed or a finished
answer, never the end of the app: the partial is kept on screen and in a real history
file, and the next prompt is answered."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.app.helpers import make_app
from tests.faults.terminal import inkstream
from tests.hostile import exit_backends
from tests.screen import screen_text
from tui.backends.echo import echo
from tui.history.store import HistoryStore

ROOT = Path(__file__).resolve().parents[2]

EXITS = {
    "interrupt": ("one two three ", "KeyboardInterrupt"),
    "exits": ("one two three ", "SystemExit(0)"),
    "async_exits": ("one two three ", "SystemExit(3)"),
    "exiting_call": ("one two three ", "SystemExit(0)"),
    "interrupted_coroutine": ("", "KeyboardInterrupt"),
}


def stored(db: Path) -> list[tuple[str, str, str | None, str]]:
    """(role, status, error, text) of every message, in order."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return connection.execute(
            "SELECT m.role, m.status, m.error, COALESCE(GROUP_CONCAT(p.body, ''), '') "
            "FROM messages m LEFT JOIN parts p ON p.message_id = m.id AND p.kind = 'text' "
            "GROUP BY m.id ORDER BY m.id"
        ).fetchall()


@pytest.mark.parametrize("name", EXITS)
async def test_an_exit_from_the_backend_fails_the_answer_and_the_app_goes_on(
    tmp_path: Path, name: str
) -> None:
    partial, reason = EXITS[name]
    db = tmp_path / "history.sqlite3"
    backend = getattr(exit_backends, name)
    app = make_app(backend, history=HistoryStore(db))
    async with app.run_test(size=(100, 30)) as pilot:
        app.run_turn("first")
        await app.workers.wait_for_complete()
        await pilot.pause()
        turn = app.conversation.turns[0]
        assert turn.status == "failed"
        assert reason in (turn.error or "")
        assert turn.response == (partial or "")
        assert reason in screen_text(app)
        app.backend = echo  # the app still answers
        app.run_turn("second")
        await app.workers.wait_for_complete()
        assert app.conversation.turns[1].status == "finished"
    rows = stored(db)
    assert rows[1][:2] == ("assistant", "failed")
    assert reason in (rows[1][2] or "")
    assert rows[1][3] == partial
    assert rows[3][:2] == ("assistant", "finished")


async def test_a_repr_that_raises_keyboard_interrupt_is_a_stand_in(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    app = make_app(exit_backends.interrupting_repr, history=HistoryStore(db))
    async with app.run_test(size=(100, 30)) as pilot:
        app.run_turn("first")
        await app.workers.wait_for_complete()
        await pilot.pause()
        turn = app.conversation.turns[0]
        assert turn.status == "finished"
        shown = screen_text(app)
        assert "InterruptingRepr: showing it failed" in shown
        assert "after" in shown
    assert stored(db)[1][:2] == ("assistant", "finished")


async def test_odd_values_show_and_are_saved(tmp_path: Path) -> None:
    """A huge int, reprs of the wrong type and lone surrogates in a dict: no crash."""
    db = tmp_path / "history.sqlite3"
    app = make_app(exit_backends.odd_values, history=HistoryStore(db))
    async with app.run_test(size=(100, 60)) as pilot:
        app.run_turn("first")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.conversation.turns[0].status == "finished"
        shown = screen_text(app)
        assert shown.count("<int of 5,001 digits>") == 2
        assert "unprintable OddReprs" in shown
        assert "\\ud800key" in shown
        assert "post" in shown
        app.backend = echo  # the odd values go to the backend as context of the next
        app.run_turn("second")
        await app.workers.wait_for_complete()
        assert app.conversation.turns[1].status == "finished"
    with HistoryStore(db) as store:
        session = store.latest_session()
        assert session is not None
        answer = store.messages(session)[1]
    assert answer.status == "finished"
    assert answer.value[-2] == {"\ud800key": "\x00v", "list": ["\udc80"]}


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*inkstream(), "--no-history", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("name", ["interrupt", "exits", "async_exits", "exiting_call"])
def test_print_mode_exits_1_with_the_reason(name: str) -> None:
    partial, reason = EXITS[name]
    result = run("--backend", f"tests.hostile.exit_backends:{name}", "-p", "hi")
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(partial)
    assert reason in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("import sys\nsys.exit(0)\n", "it called sys.exit(0)"),
        ("raise KeyboardInterrupt\n", "KeyboardInterrupt"),
        ("raise SystemExit('bye')\n", "it called sys.exit('bye')"),
    ],
)
def test_a_backend_that_exits_at_import_is_a_load_error(
    tmp_path: Path, source: str, reason: str
) -> None:
    module = tmp_path / "bk.py"
    module.write_text(source + "def answer(messages):\n    yield 'never'\n")
    result = run("--backend", f"{module}:answer", "-p", "hi")
    assert result.returncode == 2
    assert "failed to import" in result.stderr
    assert reason in result.stderr
    assert result.stdout == ""
