"""An OpenAI-compatible server that dies mid-answer, never answers, or stalls.

The real `openai` client talks to a real loopback server (tests/stream/sse_server.py),
inside a running ChatApp with a real history file. Whatever arrived stays on screen and
in the file, and the failure is one line that says what happened, naming the timeout
and the flag that sets it when one ran out.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.app.helpers import make_app
from tests.screen import screen_text
from tests.stream.sse_server import SSEServer, chat_chunk
from tui.backends import Settings
from tui.backends.openai_compat import openai_chat
from tui.history import TurnStatus
from tui.history.store import HistoryStore
from tui.widgets.chat.chat_message import ChatMessage
from tui.widgets.chat.prompt_input import PromptInput
from tui.widgets.transcript import MarkdownLines

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ["Rayleigh ", "scattering: ", "blue light ", "scatters ", "most."]
PARTIAL = "".join(CONTENT[:2])
DROPPED = "The connection dropped mid-answer: the text so far is kept"


def settings_for(sse: SSEServer, **options: Any) -> Settings:
    return Settings(model="m", base_url=sse.base_url, **options)


async def ask(pilot: Any, text: str) -> None:
    """Send a prompt and wait until its turn has ended and the screen has settled."""
    pilot.app.query_one(PromptInput).insert(text)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def last_answer(app: Any) -> ChatMessage:
    return app.query(ChatMessage).filter(".-assistant").last()


def stored_answers(path: Path) -> list[Any]:
    """The answers in the file, read by a fresh connection, as another process would."""
    with HistoryStore(path) as fresh:
        (info,) = fresh.sessions()
        return [message for message in fresh.messages(info.id) if message.role == "assistant"]


async def check_failed_turn(app: Any, pilot: Any, db_path: Path, partial: str, error: str) -> None:
    """The partial answer is shown and stored, with exactly one line saying why it failed."""
    turn = app.conversation.turns[-1]
    assert (turn.status, turn.response, turn.error) == (TurnStatus.FAILED, partial, error)
    answer = last_answer(app)
    assert "".join(markdown.source for markdown in answer.query(MarkdownLines)) == partial
    (status,) = answer.query(".message-status")
    assert str(status.render()) == f"✖ failed: {error}"
    shown = screen_text(app)
    assert shown.count("✖ failed") == 1
    assert "Traceback" not in shown
    stored = stored_answers(db_path)[-1]
    assert (stored.value, stored.status, stored.error) == (partial, "failed", error)


@pytest.mark.parametrize("reset", [False, True], ids=["closed", "reset"])
async def test_a_server_that_dies_mid_answer(
    sse: SSEServer, store: HistoryStore, db_path: Path, reset: bool
) -> None:
    """Two chunks, then the connection closes (or is reset, as when the process dies)."""
    sse.script.chunks = [chat_chunk(piece) for piece in CONTENT]
    sse.script.cut_after, sse.script.reset = 2, reset
    app = make_app(openai_chat, settings=settings_for(sse), history=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "Why is the sky blue?")
        await check_failed_turn(app, pilot, db_path, PARTIAL, DROPPED)
        sse.script.cut_after = None  # the server is back: the chat carries on
        await ask(pilot, "Again, please.")
        assert app.conversation.turns[-1].status is TurnStatus.FINISHED
        assert last_answer(app).query_one(MarkdownLines).source == "".join(CONTENT)
        # The failed turn's partial answer went back to the server as context.
        assert {"role": "assistant", "content": PARTIAL} in sse.requests[-1][2]["messages"]
    assert [answer.value for answer in stored_answers(db_path)] == [PARTIAL, "".join(CONTENT)]


async def test_a_server_that_never_answers_times_out(
    sse: SSEServer, store: HistoryStore, db_path: Path
) -> None:
    """It accepts the request and sends nothing: the read timeout ends the wait."""
    sse.script.chunks = [chat_chunk(piece) for piece in CONTENT]
    sse.script.delay = 10.0
    app = make_app(openai_chat, settings=settings_for(sse, read_timeout=0.3), history=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "Hello?")
        error = "The server did not answer within 0.3 s (the read timeout, --read-timeout)"
        await check_failed_turn(app, pilot, db_path, "", error)
        assert app.is_running


async def test_a_server_that_stalls_mid_answer_times_out(
    sse: SSEServer, store: HistoryStore, db_path: Path
) -> None:
    """Two chunks, then silence with the connection open: the text so far is kept."""
    sse.script.chunks = [chat_chunk(piece) for piece in CONTENT]
    sse.script.hold_after = 2
    app = make_app(openai_chat, settings=settings_for(sse, read_timeout=0.3), history=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "Why is the sky blue?")
        error = (
            "The server sent nothing for 0.3 s (the read timeout, --read-timeout): "
            "the text so far is kept"
        )
        await check_failed_turn(app, pilot, db_path, PARTIAL, error)


def test_the_timeouts_come_from_the_config_file_and_the_flags(
    sse: SSEServer, tmp_path: Path
) -> None:
    """The real command, print mode: the file's read_timeout applies; a flag overrides it."""
    sse.script.chunks = [chat_chunk(piece) for piece in CONTENT]
    sse.script.delay = 10.0
    config = tmp_path / "config.toml"
    config.write_text(f'backend = "openai"\nmodel = "m"\nbase_url = "{sse.base_url}"\n')
    config.write_text(config.read_text() + "read_timeout = 0.4\nconnect_timeout = 3\n")
    command = [sys.executable, "-m", "tui", "--config", str(config), "--no-history"]
    runs = [  # side by side, to wait for the two timeouts at once
        subprocess.Popen(
            [*command, *flags, "-p", "Hello?"],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for flags in ([], ["--read-timeout", "0.2"])
    ]
    results = []
    for run in runs:
        stdout, stderr = run.communicate(timeout=60)
        results.append(subprocess.CompletedProcess(run.args, run.returncode, stdout, stderr))
    said = [result.stderr.strip() for result in results]
    assert said == [
        f"inkstream: The server did not answer within {seconds} s "
        "(the read timeout, --read-timeout)"
        for seconds in ("0.4", "0.2")
    ]
    assert [result.returncode for result in results] == [1, 1]
    assert [result.stdout for result in results] == ["", ""]
