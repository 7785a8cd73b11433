"""Turn whatever `write_stream` is given into an iterator, and iterate it from async code.

Sync iterators are pumped by one daemon thread per stream, so a blocked generator never
blocks the event loop nor holds up interpreter exit. Async iterators run on the loop
they are iterated from: no new loop, and no thread, per chunk.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from tui.stream.foreign import contain

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

READ_AHEAD = 512
"""Chunks a sync source may be read ahead of the loop: the pump hands them over in
batches, so a source of a million tiny chunks costs one wake-up per batch, not per chunk."""

YIELD_EVERY = 0.005
"""Seconds `aiterate` may hand out chunks that are already there before it lets the loop
run other tasks once, so a source that never waits cannot freeze the app."""


async def aiterate(iterator: Iterator[Any] | AsyncIterator[Any]) -> AsyncIterator[Any]:
    """Iterate a sync or async iterator from async code without blocking the loop.

    When the consumer stops early (cancellation, an exception, `break`), the iterator is
    closed: an async one on this loop, a sync one on its pump thread once it is free.
    A sync generator stuck in a blocking call is abandoned to its daemon thread. Chunks
    that arrive faster than they are taken never hold the loop: every `YIELD_EVERY`
    seconds it runs its other tasks once.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    paused_at = loop.time()

    async def breathe() -> None:
        nonlocal paused_at
        if loop.time() - paused_at >= YIELD_EVERY:
            await asyncio.sleep(0)
            paused_at = loop.time()

    if hasattr(iterator, "__anext__"):
        finished = False
        try:
            while True:
                try:
                    chunk = await iterator.__anext__()  # type: ignore[union-attr]
                except StopAsyncIteration:
                    finished = True
                    return
                except BaseException as error:
                    contained = contain(error)
                    if contained is error:
                        raise
                    finished = True  # a generator that raised is finished
                    raise contained from error
                if task is not None and task.cancelling():
                    # The source swallowed a CancelledError meant for this task and went
                    # on: what it sends after the stop is dropped, and it is closed.
                    raise asyncio.CancelledError
                yield chunk
                await breathe()
        finally:
            if not finished:
                await close_source(iterator)
    pump = _SyncPump(iterator)  # type: ignore[arg-type]
    try:
        while (chunk := await pump.next()) is not _STOP:
            yield chunk
            await breathe()
    finally:
        pump.stop()


class _SyncPump:
    """One daemon thread that reads a sync iterator, up to `READ_AHEAD` chunks ahead.

    A chunk read ahead but not taken when the consumer stops is dropped, as if it had
    come after the stop; the source is then closed on the pump thread.
    """

    def __init__(self, iterator: Iterator[Any]) -> None:
        self._iterator = iterator
        self._loop = asyncio.get_running_loop()
        self._ready: deque[tuple[Any, BaseException | None]] = deque()
        self._room = threading.Condition()
        self._waiter: asyncio.Future[None] | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="inkstream-source", daemon=True)
        self._thread.start()

    async def next(self) -> Any:
        """The next chunk, `_STOP` at the end; raises what the source raised."""
        while True:
            with self._room:
                if self._ready:
                    chunk, error = self._ready.popleft()
                    self._room.notify()
                    break
                self._waiter = waiter = self._loop.create_future()
            await waiter
        if error is not None:
            raise contain(error)
        return chunk

    def stop(self) -> None:
        with self._room:
            self._stopped = True
            self._room.notify()

    def _run(self) -> None:
        while True:
            try:
                outcome: tuple[Any, BaseException | None] = (next(self._iterator), None)
            except StopIteration:
                outcome = (_STOP, None)
            except BaseException as error:  # handed to the consumer, unchanged
                outcome = (None, error)
            with self._room:
                while len(self._ready) >= READ_AHEAD and not self._stopped:
                    self._room.wait()
                if self._stopped:
                    break
                self._ready.append(outcome)
                waiter, self._waiter = self._waiter, None
            if waiter is not None:
                _resolve_threadsafe(self._loop, waiter, None, None)
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
    stuck in a socket read cannot keep a quitting app alive. A `KeyboardInterrupt` or
    `SystemExit` that the function raises comes back as `BackendExit` (see `contain`).
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def run() -> None:
        try:
            outcome: tuple[Any, BaseException | None] = (function(), None)
        except BaseException as error:
            outcome = (None, contain(error))
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
