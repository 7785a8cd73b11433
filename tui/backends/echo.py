"""The `echo` backend: types the prompt back, word by word."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from tui.backends import Message


async def echo(messages: list[Message], delay: float = 0.02) -> AsyncIterator[str]:
    """Stream the last user message back, one word at a time.

    Example:
        >>> from tui.stream import collect
        >>> collect(echo([{"role": "user", "content": "hi there"}], delay=0))
        'hi there'
    """
    prompt = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
    words = str(prompt).split(" ")
    for index, word in enumerate(words):
        yield word if index == 0 else " " + word
        if delay:
            await asyncio.sleep(delay)
