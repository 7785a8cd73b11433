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
