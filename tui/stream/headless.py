"""Consume a stream with no UI at all and return what `write_stream` would return."""

from __future__ import annotations

import asyncio
from typing import Any

from tui.stream.response import Response
from tui.stream.source import aiterate, open_source

__all__ = ["collect", "collect_async"]


def collect(stream: object, *, response: Response | None = None) -> str | list[Any]:
    """Consume `stream` synchronously and return its full response.

    A sync stream is iterated in the calling thread. An async stream runs on a private
    event loop, so this must not be called from inside a running loop: use
    `collect_async` there.

    Args:
        stream: Anything `write_stream` accepts.
        response: Where to record the parts. Pass your own to keep what arrived before
            an exception, which is re-raised unchanged.

    Example:
        >>> collect(["Hello", ", ", "world"])
        'Hello, world'
        >>> partial = Response()
        >>> def failing():
        ...     yield "so far"
        ...     raise ValueError("boom")
        >>> try:
        ...     collect(failing, response=partial)
        ... except ValueError:
        ...     partial.value
        'so far'
    """
    response = Response() if response is None else response
    iterator = open_source(stream)
    if hasattr(iterator, "__anext__"):
        if _loop_is_running():
            raise RuntimeError(
                "collect() cannot run an async stream inside a running event loop: "
                "use `await collect_async(stream)` instead."
            )
        asyncio.run(_drain(iterator, response))
    else:
        for chunk in iterator:
            response.feed(chunk)
    return response.value


async def collect_async(stream: object, *, response: Response | None = None) -> str | list[Any]:
    """Consume `stream` from inside a running event loop and return its full response.

    An async stream runs on the current loop; a sync one is pumped by a daemon thread, and
    callable chunks are called on one, so that they never block the loop.
    The `response` argument works as in `collect`.

    Example:
        >>> async def tokens():
        ...     yield "a"
        ...     yield "b"
        >>> asyncio.run(collect_async(tokens))
        'ab'
    """
    response = Response() if response is None else response
    await _drain(open_source(stream), response)
    return response.value


def _loop_is_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def _drain(iterator: Any, response: Response) -> None:
    async for chunk in aiterate(iterator):
        await response.feed_async(chunk)
