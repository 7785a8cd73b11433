"""Turn whatever `write_stream` is given into an iterator, and iterate it from async code.

Sync iterators are pumped by one daemon thread per stream, so a blocked generator never
blocks the event loop nor holds up interpreter exit. Async iterators run on the loop
they are iterated from: no new loop, and no thread, per chunk.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

__all__ = ["NotAStreamError", "aiterate", "call_in_thread", "close_source", "open_source"]


class NotAStreamError(TypeError):
    """Raised for a `str` or a DataFrame-like given where a stream is expected."""


def _is_dataframe_like(obj: object) -> bool:
    """Recognise pandas, polars, pyarrow and friends without importing any of them."""
    cls = type(obj)
    root = cls.__module__.split(".")[0]
    if root in {"pandas", "polars", "pyarrow", "numpy", "modin", "dask"}:
        return cls.__name__ in {"DataFrame", "Series", "ndarray", "Table", "RecordBatch"}
    return hasattr(obj, "__dataframe__")


def open_source(stream: object) -> Iterator[Any] | AsyncIterator[Any]:
    """Turn a stream-like object into a sync or an async iterator.

    When the iterator is left early, the stream object itself is closed too (an OpenAI or
    Anthropic stream's HTTP response, say), not only the iterator over it.

    Args:
        stream: A generator, an iterable, an async generator or async iterable, or a
            zero-argument callable (a generator function or an async function included)
            returning one.

    Raises:
        NotAStreamError: for a `str` or a DataFrame-like, which `write()` should take.
        TypeError: for anything that cannot be iterated, naming its type.

    Example:
        >>> list(open_source(lambda: iter("ab")))
        ['a', 'b']
    """
    candidate = stream
    if callable(candidate) and not _is_iterable(candidate):
        candidate = candidate()
        if inspect.isawaitable(candidate):
            return _after(candidate)
    _check_iterable(candidate, called=candidate is not stream)
    if hasattr(candidate, "__aiter__"):
        iterator = candidate.__aiter__()
        if iterator is candidate or not _closable(candidate):
            return iterator
        return _async_owned(candidate, iterator)
    iterator = iter(candidate)  # type: ignore[call-overload]
    if iterator is candidate or not _closable(candidate):
        return iterator
    return _sync_owned(candidate, iterator)


def _is_iterable(obj: object) -> bool:
    return hasattr(obj, "__iter__") or hasattr(obj, "__aiter__")


def _closable(obj: object) -> bool:
    return callable(getattr(obj, "aclose", None)) or callable(getattr(obj, "close", None))


def _check_iterable(candidate: object, *, called: bool) -> None:
    if isinstance(candidate, str | bytes) or _is_dataframe_like(candidate):
        raise NotAStreamError(
            f"write_stream() expects a generator or another stream, not "
            f"{type(candidate).__name__}: use write() instead for this data type."
        )
    if not _is_iterable(candidate) and not hasattr(candidate, "__getitem__"):
        what = "a callable that returned " if called else ""
        raise TypeError(
            f"write_stream() cannot iterate {what}an object of type "
            f"{type(candidate).__qualname__}: pass a generator, an iterable or an async iterable."
        )


async def _after(awaitable: Any) -> AsyncIterator[Any]:
    """The stream an async function returns, such as `await client.create(stream=True)`."""
    stream = await awaitable
    if inspect.isawaitable(stream) or (callable(stream) and not _is_iterable(stream)):
        raise TypeError(
            f"write_stream() was given an async function that returned a "
            f"{type(stream).__qualname__}, not a stream."
        )
    async for chunk in aiterate(open_source(stream)):
        yield chunk


async def _async_owned(owner: object, iterator: Any) -> AsyncIterator[Any]:
    try:
        while True:
            try:
                chunk = await iterator.__anext__()
            except StopAsyncIteration:
                return
            yield chunk
    finally:
        await close_source(owner)


def _sync_owned(owner: object, iterator: Iterator[Any]) -> Iterator[Any]:
    try:
        yield from iterator
    finally:
        close = getattr(owner, "close", None)
        if close is not None:
            result = close()
            if inspect.isawaitable(result):  # an async close on a sync iterator: rare
                result.close()  # type: ignore[attr-defined]


async def close_source(iterator: object) -> None:
    """Close an iterator or stream that was left before its end, if it can be closed.

    Async generators get `aclose()`; other objects with a `close()` (OpenAI and Anthropic
    streams, sync generators) get that, awaited when it is a coroutine.
    """
    closer = getattr(iterator, "aclose", None) or getattr(iterator, "close", None)
    if closer is None:
        return
    result = closer()
    if inspect.isawaitable(result):
        await result


_STOP = object()


async def aiterate(iterator: Iterator[Any] | AsyncIterator[Any]) -> AsyncIterator[Any]:
    """Iterate a sync or async iterator from async code without blocking the loop.

    When the consumer stops early (cancellation, an exception, `break`), the iterator is
    closed: an async one on this loop, a sync one on its pump thread once it is free.
    A sync generator stuck in a blocking call is abandoned to its daemon thread.
    """
    if hasattr(iterator, "__anext__"):
        finished = False
        try:
            while True:
                try:
                    chunk = await iterator.__anext__()  # type: ignore[union-attr]
                except StopAsyncIteration:
                    finished = True
                    return
                yield chunk
        finally:
            if not finished:
                await close_source(iterator)
    pump = _SyncPump(iterator)  # type: ignore[arg-type]
    try:
        while (chunk := await pump.next()) is not _STOP:
            yield chunk
    finally:
        pump.stop()


class _SyncPump:
    """One daemon thread that calls `next()` on a sync iterator when asked to."""

    def __init__(self, iterator: Iterator[Any]) -> None:
        self._iterator = iterator
        self._loop = asyncio.get_running_loop()
        self._requests: queue.SimpleQueue[asyncio.Future[Any] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="inkstream-source", daemon=True)
        self._thread.start()

    async def next(self) -> Any:
        future = self._loop.create_future()
        self._requests.put(future)
        return await future

    def stop(self) -> None:
        self._requests.put(None)

    def _run(self) -> None:
        while (future := self._requests.get()) is not None:
            try:
                outcome: tuple[Any, BaseException | None] = (next(self._iterator), None)
            except StopIteration:
                outcome = (_STOP, None)
            except BaseException as error:  # handed to the consumer, unchanged
                outcome = (None, error)
            _resolve_threadsafe(self._loop, future, *outcome)
            if outcome[0] is _STOP or outcome[1] is not None:
                return
        close = getattr(self._iterator, "close", None)
        # An error while closing an abandoned stream has no one left to go to.
        if close is not None:
            with contextlib.suppress(Exception):
                close()


async def call_in_thread(function: Callable[[], Any]) -> Any:
    """Call a blocking function on a daemon thread and await its result.

    Unlike `asyncio.to_thread`, the thread never holds up interpreter exit, so a call
    stuck in a socket read cannot keep a quitting app alive.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def run() -> None:
        try:
            outcome: tuple[Any, BaseException | None] = (function(), None)
        except BaseException as error:
            outcome = (None, error)
        _resolve_threadsafe(loop, future, *outcome)

    threading.Thread(target=run, name="inkstream-call", daemon=True).start()
    return await future


def _resolve_threadsafe(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    value: Any,
    error: BaseException | None,
) -> None:
    """Settle `future` from another thread, unless it is already settled or its loop closed."""

    def resolve() -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
        loop.call_soon_threadsafe(resolve)
