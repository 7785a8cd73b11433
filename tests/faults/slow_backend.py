"""A backend for the signal tests, loaded by the real `inkstream` command as
`tests.faults.slow_backend:endless`: it streams numbered words until it is stopped."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any


async def endless(messages: list[dict[str, Any]]) -> AsyncIterator[str]:
    """`word0 word1 word2 ...`, one word every 20 ms, for ever."""
    index = 0
    while True:
        yield f"word{index} "
        index += 1
        await asyncio.sleep(0.02)
