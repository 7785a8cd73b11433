"""An answer the server ended for its length (`finish_reason` "length": `max_tokens`, or
llama.cpp's context filling up) is not passed off as finished: the app shows a notice
and print mode says it on stderr. The real `openai` client against the SSE server."""

from __future__ import annotations

import subprocess
import sys

from tests.app.helpers import make_app
from tests.screen import screen_text
from tests.stream.sse_server import Script, SSEServer, chat_chunk
from tui.backends import Settings
from tui.backends.openai_compat import CUT_SHORT, openai_chat
from tui.widgets.chat.prompt_input import PromptInput


def answer(finish: str) -> Script:
    return Script(
        chunks=[chat_chunk("Once upon"), chat_chunk(" a time"), chat_chunk(finish=finish)]
    )


def toast_words(screen: str) -> list[str]:
    """The words of the toast at the bottom right: the lines' ends after a `▌` edge."""
    words: list[str] = []
    for line in screen.splitlines():
        if "▌" in line:
            words += line.split("▌", 1)[1].strip(" │╮╯").split()
    return words


async def screens_after(sse: SSEServer, finish: str) -> list[str]:
    """The screen after each of two turns that end with `finish`."""
    app = make_app(openai_chat, settings=Settings(model="m", base_url=sse.base_url))
    screens: list[str] = []
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        for _ in range(2):
            sse.script = answer(finish)
            app.query_one(PromptInput).insert("a story")
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            screens.append(screen_text(app))
            app.clear_notifications()
            await pilot.pause()
    return screens


async def test_the_app_says_each_cut_answer_was_cut(sse: SSEServer) -> None:
    screens = await screens_after(sse, "length")
    # The toast wraps the notice over lines of its own.
    assert all(toast_words(screen) == CUT_SHORT.split() for screen in screens), screens


async def test_a_finished_answer_gets_no_notice(sse: SSEServer) -> None:
    screens = await screens_after(sse, "stop")
    assert all(toast_words(screen) == [] for screen in screens), screens


def test_print_mode_says_it_on_stderr(sse: SSEServer) -> None:
    sse.script = answer("length")
    command = [sys.executable, "-m", "tui", "--backend", "openai", "--model", "m"]
    result = subprocess.run(
        [*command, "--base-url", sse.base_url, "-p", "a story"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (0, "Once upon a time\n")
    assert result.stderr == f"inkstream: {CUT_SHORT}\n"
