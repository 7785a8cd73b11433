"""Run by test_crash.py in a child process: stream forever into a history file."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tui.app import ChatApp
from tui.history.store import HistoryStore
from tui.widgets.chat.prompt_input import PromptInput


async def endless(messages: list[dict[str, Any]]) -> Any:
    index = 0
    while True:
        yield f"word{index} "
        index += 1
        await asyncio.sleep(0.02)


async def send(pilot: Pilot[Any]) -> None:
    pilot.app.query_one(PromptInput).insert("never ending story")
    await pilot.press("enter")
    await asyncio.sleep(3600)  # stream until the parent kills this process


if __name__ == "__main__":
    store = HistoryStore(Path(sys.argv[1]))
    ChatApp(backend=endless, typewriter=0, history=store).run(headless=True, auto_pilot=send)
