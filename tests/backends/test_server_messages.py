"""A server's reason for refusing a request is shown whole on the failed turn (issue 18,
bug 3): wrapped to the width, its newlines kept, its escape sequences made harmless.
The real `openai` client in the app, against the loopback SSE server."""

from __future__ import annotations

import subprocess
import sys

from tests.app.helpers import make_app
from tests.screen import screen_text
from tests.stream.sse_server import Script, SSEServer, api_error
from tui.backends import Settings
from tui.backends.openai_compat import openai_chat
from tui.widgets.chat.chat_message import ChatMessage
from tui.widgets.chat.prompt_input import PromptInput

# What a Mistral-style chat template says when roles do not alternate: 208 characters,
# the reason being at the end. Then a second line, and an escape sequence.
REASON = (
    "Failed to apply the chat template: Jinja exception: Conversation roles must "
    "alternate user/assistant/user/assistant/... (raised by the template at line 1, "
    "column 311, while rendering message 2 of 3 in the request you sent)"
)
SAID = f"{REASON}\nSee the server log for the template.\x1b[2J"


async def test_the_failed_turn_shows_the_whole_message(sse: SSEServer) -> None:
    sse.script = Script(status=400, error=api_error(SAID))
    app = make_app(openai_chat, settings=Settings(model="m", base_url=sse.base_url))
    async with app.run_test(size=(80, 40)) as pilot:
        app.query_one(PromptInput).insert("hello")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = app.query(ChatMessage).filter(".-failed").first().query_one(".message-status")
        shown = str(status.render())
        screen = screen_text(app)
        height = status.size.height
    assert shown == f"✖ failed: The server refused the request (400): {SAID[:-4]}␛[2J"
    assert height >= 4, "wrapped to the width, over several lines"
    assert "Conversation roles must" in screen and "user/assistant/..." in screen.replace("\n", "")
    assert "See the server log for the template.␛[2J" in screen


def test_print_mode_prints_the_whole_message(sse: SSEServer) -> None:
    sse.script = Script(status=400, error=api_error(SAID))
    command = [sys.executable, "-m", "tui", "--backend", "openai", "--model", "m"]
    result = subprocess.run(
        [*command, "--base-url", sse.base_url, "-p", "hello"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"inkstream: The server refused the request (400): {SAID[:-4]}␛[2J\n"
    ), result.stderr
