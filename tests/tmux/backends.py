"""Backends the tmux tests load by name (`tests.tmux.backends:NAME`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any


async def stall(messages: list[dict[str, Any]]) -> AsyncIterator[str]:
    """Some words, then nothing for 8 s, then the rest."""
    for index in range(20):
        yield f"word{index} "
        await asyncio.sleep(0.01)
    await asyncio.sleep(8)
    yield "after the stall"


def reasoning_and_table(messages: list[dict[str, Any]]) -> Any:
    """An OpenAI chunk of reasoning, some text, a 200-row DataFrame, and more text."""
    import pandas as pd
    from openai.types.chat import ChatCompletionChunk

    yield ChatCompletionChunk.model_validate(
        {
            "id": "x",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "delta": {"reasoning_content": "secret pondering here"}}],
        }
    )
    yield "Here is the table:"
    yield pd.DataFrame({"row": [f"row-{index}" for index in range(200)]})
    yield "That was all."
