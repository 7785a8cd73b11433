"""Run by test_quit.py in a child process: quit while a sync generator is stuck in sleep."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

from textual.pilot import Pilot

from tui.app import ChatApp
from tui.widgets.chat.prompt_input import PromptInput


def stuck(messages: list[dict[str, Any]]) -> Any:
    yield "waiting for a model that never answers "
    time.sleep(60)
    yield "too late"


async def quit_mid_stream(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, ChatApp)
    app.query_one(PromptInput).insert("hello?")
    await pilot.press("enter")
    while not app.conversation.turns or not app.conversation.turns[0].prompt:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.3)  # the generator is now inside time.sleep(60)
    print("QUIT", flush=True)
    await pilot.press("ctrl+q")


if __name__ == "__main__":
    ChatApp(backend=stuck, typewriter=0).run(headless=True, auto_pilot=quit_mid_stream)
    print("EXITED", flush=True)
    sys.exit(0)
