"""SIGTERM and SIGHUP while an answer streams: it is saved, and the terminal is restored.

The real `inkstream` command runs in a real pseudo-terminal with a backend that streams
for ever. Once words are on the screen, the test sends the signal and checks that the
process exits with 128 + the signal, that the history file holds the answer so far
marked "interrupted" (written by the app itself, not inferred later from a dead writer),
and that the last thing written to the terminal restores it: the alternate screen left,
the cursor shown, mouse reporting off, and the terminal's own modes (echo, line
editing) back as they were.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import sqlite3
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.app.helpers import make_app
from tests.faults.slow_backend import endless
from tests.faults.terminal import Terminal
from tui.app import ChatApp
from tui.history.store import HistoryStore
from tui.widgets.chat.chat_message import ChatMessage
from tui.widgets.chat.prompt_input import PromptInput

ROOT = Path(__file__).resolve().parents[2]
SIGNALS = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
EXIT_CODES = {signal.SIGINT: 130} | {number: 128 + number for number in SIGNALS}
RESTORE = re.compile(rb"(\x1b\[[?<]?[0-9;]*[a-zA-Z])*")
"""Nothing but mode-setting escape sequences: what may follow leaving the alt screen."""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def raw_answer(db: Path) -> tuple[str, str | None]:
    """The answer's status and writer as the app left them, before any reader marks it."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return connection.execute(
            "SELECT status, writer FROM messages WHERE role = 'assistant'"
        ).fetchone()


@pytest.mark.parametrize("number", SIGNALS, ids=lambda number: signal.Signals(number).name)
def test_a_signal_mid_answer_saves_it_and_restores_the_terminal(
    tmp_path: Path, number: int
) -> None:
    db = tmp_path / "history.sqlite3"
    terminal = Terminal("--db", str(db))
    try:
        terminal.wait_for(rb"Message inkstream")  # the prompt is on the screen
        terminal.type("tell me everything\r")
        terminal.wait_for(rb"word5 ")
        terminal.process.send_signal(number)
        code = terminal.process.wait(timeout=15)
        modes = termios.tcgetattr(terminal.slave)
    finally:
        terminal.close()
    output = bytes(terminal.output)
    assert code == 128 + number, output[-2000:]
    assert raw_answer(db) == ("interrupted", None), "saved by the app as it ended"
    with HistoryStore(db) as store:
        (info,) = store.sessions()
        prompt, answer = store.messages(info.id)
    assert prompt.value == "tell me everything"
    assert answer.value.startswith("word0 word1 word2 word3 word4 word5 ")
    words = answer.value.split()
    assert words == [f"word{index}" for index in range(len(words))], "nothing lost or mixed"
    # Leaving the alt screen is the last drawing; only mode resets may follow it.
    left = output.rfind(b"\x1b[?1049l")
    assert left > output.rfind(b"\x1b[?1049h") >= 0
    assert RESTORE.fullmatch(output[left:]), output[left:]
    assert output.rfind(b"\x1b[?25h") > output.rfind(b"\x1b[?25l")
    assert output.rfind(b"\x1b[?1000l") > output.rfind(b"\x1b[?1000h") >= 0
    assert output.rfind(b"\x1b[?1003l") > output.rfind(b"\x1b[?1003h")
    assert modes == terminal.modes, "echo and line editing are back"


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs SIGHUP")
def test_a_terminal_closed_mid_answer(tmp_path: Path) -> None:
    """The window closes: the terminal is gone, then SIGHUP comes. The answer is saved."""
    db = tmp_path / "history.sqlite3"
    terminal = Terminal("--db", str(db))
    try:
        terminal.wait_for(rb"Message inkstream")
        terminal.type("tell me everything\r")
        terminal.wait_for(rb"word5 ")
        terminal.hang_up()
        terminal.process.send_signal(signal.SIGHUP)
        code = terminal.process.wait(timeout=15)
    finally:
        terminal.close()
    assert code == 128 + signal.SIGHUP
    assert raw_answer(db) == ("interrupted", None)


@pytest.mark.parametrize(
    "number", [*SIGNALS, signal.SIGINT], ids=lambda number: signal.Signals(number).name
)
def test_a_signal_mid_print_keeps_what_arrived_and_shows_the_cursor(number: int) -> None:
    """Print mode on a terminal draws with Rich Live, which hides the cursor meanwhile."""
    terminal = Terminal("--no-history", "-p", "tell me everything")
    try:
        terminal.wait_for(rb"word5 ")
        terminal.process.send_signal(number)
        code = terminal.process.wait(timeout=15)
        modes = termios.tcgetattr(terminal.slave)
    finally:
        terminal.close()
    output = bytes(terminal.output)
    assert code == EXIT_CODES[number], output[-2000:]
    assert output.rfind(b"\x1b[?25h") > output.rfind(b"\x1b[?25l") >= 0, output[-500:]
    printed = re.sub(rb"\x1b\[[0-9;?]*[a-zA-Z]|[\r\n]", b"", output).decode()
    assert "word0 word1 word2 word3 word4 word5" in printed, "what arrived stays printed"
    assert "Traceback" not in printed
    assert modes == terminal.modes


async def test_quitting_mid_answer_saves_it_as_stopped(tmp_path: Path) -> None:
    """Ctrl+Q stops the turn while its widgets are still there: no error at exit."""
    db = tmp_path / "history.sqlite3"
    with HistoryStore(db) as store:
        app = make_app(endless, history=store)
        async with app.run_test() as pilot:  # re-raises any error the app had
            app.query_one(PromptInput).insert("tell me everything")
            await pilot.press("enter")
            while "word5 " not in (answer_text(app) if app.conversation.turns else ""):
                await pilot.pause(0.05)
            await pilot.press("ctrl+q")
            deadline = time.monotonic() + 10
            while app.return_code is None and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        assert app.return_code == 0
    assert raw_answer(db) == ("stopped", None)
    with HistoryStore(db) as store:
        (info,) = store.sessions()
        assert store.messages(info.id)[-1].value.startswith("word0 word1 word2 word3 word4 word5 ")


def answer_text(app: ChatApp) -> str:
    view = app.query(ChatMessage).filter(".-assistant").last().body
    return "" if view is None else str(view.response.value)
