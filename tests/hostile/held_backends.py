"""Backends whose own code holds what it runs on: the event loop, or a thread for ever.

Each first yields "before ", so a test knows the answer began, then holds.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

HOLD = 25.0
"""Seconds each holds, far longer than any test waits."""


class Slow:
    """An object whose repr never returns in time."""

    def __repr__(self) -> str:
        time.sleep(HOLD)
        return "Slow()"

    __str__ = __repr__


async def loop_sleeper(messages: list[dict[str, Any]]) -> AsyncIterator[Any]:
    """An async generator that blocks the event loop itself."""
    yield "before "
    time.sleep(HOLD)
    yield "after"


def slow_call(messages: list[dict[str, Any]]) -> Iterator[Any]:
    """A callable chunk that blocks."""
    yield "before "
    yield lambda: time.sleep(HOLD)
    yield "after"


def slow_repr(messages: list[dict[str, Any]]) -> Iterator[Any]:
    """An object whose repr blocks."""
    yield "before "
    yield Slow()
    yield "after"


def wide_frame(messages: list[dict[str, Any]]) -> Iterator[Any]:
    """A frame of a million columns."""
    import numpy as np
    import pandas as pd

    yield "before "
    yield pd.DataFrame(np.zeros((2, 1_000_000)))
    yield "after"


def deep_list(messages: list[dict[str, Any]]) -> Iterator[Any]:
    """A list nested 20,000 deep."""
    nested: list[Any] = []
    for _ in range(20_000):
        nested = [nested]
    yield "before "
    yield nested
    yield "after"
