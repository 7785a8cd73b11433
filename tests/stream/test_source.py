"""Which inputs are streams, on which loop and thread they run, and how they are closed."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import re
import threading
import time
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import openai
import pandas as pd
import pytest

from tui.stream import (
    NotAStreamError,
    aiterate,
    call_in_thread,
    close_source,
    collect,
    collect_async,
    open_source,
)

from .sse_server import SSEServer, chat_chunk

WORDS = ["Hel", "lo", " ", "world"]
TEXT = "".join(WORDS)


def words() -> Iterator[str]:
    """A generator function over `WORDS`."""
    yield from WORDS


async def awords() -> AsyncIterator[str]:
    """An async generator function over `WORDS`."""
    for word in WORDS:
        await asyncio.sleep(0)
        yield word


class AsyncWords:
    """A hand-written async iterable whose `__aiter__` returns itself."""

    def __init__(self) -> None:
        self._left = list(WORDS)

    def __aiter__(self) -> AsyncWords:
        return self

    async def __anext__(self) -> str:
        if not self._left:
            raise StopAsyncIteration
        return self._left.pop(0)


class SyncWords:
    """A hand-written iterable that is not a generator."""

    def __iter__(self) -> Iterator[str]:
        return iter(WORDS)


class _BareAsyncIterator:
    """An async iterator with `__anext__` only: enough for `async for` via an iterable."""

    def __init__(self) -> None:
        self._left = list(WORDS)

    async def __anext__(self) -> str:
        if not self._left:
            raise StopAsyncIteration
        return self._left.pop(0)


class SplitAsyncIterable:
    """An async iterable whose iterator is a separate object without `__aiter__`."""

    def __aiter__(self) -> _BareAsyncIterator:
        return _BareAsyncIterator()


# Each case builds a fresh stream and says what `write_stream` returns for it.
ACCEPTED: dict[str, tuple[Callable[[], object], object]] = {
    "sync-generator": (lambda: words(), TEXT),
    "generator-function": (lambda: words, TEXT),
    "list": (lambda: list(WORDS), TEXT),
    "tuple": (lambda: ("a", 1, "b"), ["a", 1, "b"]),
    "dict-iterates-keys": (lambda: {"key1": 10, "key2": 20}, "key1key2"),
    "generator-expression": (lambda: (w.upper() for w in WORDS), TEXT.upper()),
    "range-of-objects": (lambda: range(3), [0, 1, 2]),
    "custom-iterable": (lambda: SyncWords(), TEXT),
    "async-generator": (lambda: awords(), TEXT),
    "async-generator-function": (lambda: awords, TEXT),
    "custom-async-iterable": (lambda: AsyncWords(), TEXT),
    "callable-returning-list": (lambda: lambda: list(WORDS), TEXT),
    "callable-returning-generator": (lambda: lambda: words(), TEXT),
    "callable-returning-dict": (lambda: lambda: {"k": None}, "k"),
    "callable-returning-async-generator": (lambda: lambda: awords(), TEXT),
    "callable-returning-async-iterable": (lambda: lambda: AsyncWords(), TEXT),
}
ASYNC_CASES = {name for name in ACCEPTED if "async" in name}


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_collect_accepts(case: str) -> None:
    """`collect` consumes every accepted kind of input."""
    make, expected = ACCEPTED[case]
    assert collect(make()) == expected


@pytest.mark.parametrize("case", list(ACCEPTED))
async def test_collect_async_accepts(case: str) -> None:
    """`collect_async` consumes every accepted kind of input."""
    make, expected = ACCEPTED[case]
    assert await collect_async(make()) == expected


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_open_source_gives_sync_or_async_iterator(case: str) -> None:
    """Sync inputs give an `Iterator`, async inputs an async iterator."""
    iterator = open_source(ACCEPTED[case][0]())
    if case in ASYNC_CASES:
        assert hasattr(iterator, "__anext__")
        assert not isinstance(iterator, Iterator)
        asyncio.run(close_source(iterator))
    else:
        assert isinstance(iterator, Iterator)


def test_collect_accepts_async_iterable_with_separate_iterator() -> None:
    """An async iterable whose iterator only has `__anext__` is still a stream."""
    assert collect(SplitAsyncIterable()) == TEXT


async def test_collect_async_accepts_async_iterable_with_separate_iterator() -> None:
    """The same split async iterable, consumed from a running loop."""
    assert await collect_async(SplitAsyncIterable()) == TEXT


# --- rejected inputs -----------------------------------------------------------------------

NOT_STREAMS: dict[str, Callable[[], object]] = {
    "str": lambda: "some text",
    "bytes": lambda: b"some bytes",
    "DataFrame": lambda: pd.DataFrame({"a": [1, 2]}),
    "Series": lambda: pd.Series([1, 2]),
    "callable-returning-str": lambda: lambda: "text",
    "callable-returning-DataFrame": lambda: lambda: pd.DataFrame({"a": [1]}),
}


def test_not_a_stream_error_is_a_type_error() -> None:
    """`NotAStreamError` can be caught as a `TypeError`."""
    assert issubclass(NotAStreamError, TypeError)


@pytest.mark.parametrize("case", list(NOT_STREAMS))
def test_data_given_as_a_stream_says_use_write(case: str) -> None:
    """A str, bytes or a DataFrame raises `NotAStreamError` telling to use write()."""
    with pytest.raises(NotAStreamError, match=re.escape("use write()")):
        collect(NOT_STREAMS[case]())
    with pytest.raises(NotAStreamError, match=re.escape("use write()")):
        open_source(NOT_STREAMS[case]())


async def test_collect_async_rejects_data_too() -> None:
    """`collect_async` raises the same error for a str."""
    with pytest.raises(NotAStreamError, match=re.escape("use write()")):
        await collect_async("text")


class Opaque:
    """Neither iterable nor callable."""


@pytest.mark.parametrize(
    ("make", "type_name"),
    [
        pytest.param(lambda: 42, "int", id="int"),
        pytest.param(lambda: 2.5, "float", id="float"),
        pytest.param(lambda: None, "NoneType", id="None"),
        pytest.param(lambda: Opaque(), "Opaque", id="object"),
        pytest.param(lambda: lambda: 42, "int", id="callable-returning-int"),
    ],
)
def test_non_iterable_raises_type_error_naming_the_type(
    make: Callable[[], object], type_name: str
) -> None:
    """Anything that cannot be iterated raises a `TypeError` that names its type."""
    with pytest.raises(TypeError, match=rf"\b{type_name}\b"):
        collect(make())
    with pytest.raises(TypeError, match=rf"\b{type_name}\b"):
        open_source(make())


# --- loops and threads ---------------------------------------------------------------------


async def test_async_stream_runs_on_the_callers_loop() -> None:
    """Every chunk of an async generator is produced on the loop that awaits it."""
    caller = asyncio.get_running_loop()
    seen: list[asyncio.AbstractEventLoop] = []

    async def tokens() -> AsyncIterator[str]:
        for word in WORDS:
            seen.append(asyncio.get_running_loop())
            await asyncio.sleep(0)
            yield word

    assert await collect_async(tokens) == TEXT
    async for _ in aiterate(open_source(tokens)):
        pass
    assert len(seen) == 2 * len(WORDS)
    assert all(loop is caller for loop in seen)


async def test_async_iterable_class_runs_on_the_callers_loop() -> None:
    """A custom async iterable's `__anext__` also runs on the caller's loop."""
    caller = asyncio.get_running_loop()
    seen: list[asyncio.AbstractEventLoop] = []

    class Recording(AsyncWords):
        async def __anext__(self) -> str:
            seen.append(asyncio.get_running_loop())
            return await super().__anext__()

    assert await collect_async(Recording()) == TEXT
    assert seen
    assert all(loop is caller for loop in seen)


def test_collect_runs_an_async_stream_on_one_loop() -> None:
    """`collect` uses one private loop for the whole stream, not a loop per chunk."""
    seen: list[asyncio.AbstractEventLoop] = []

    async def tokens() -> AsyncIterator[str]:
        for word in WORDS:
            seen.append(asyncio.get_running_loop())
            await asyncio.sleep(0)
            yield word

    assert collect(tokens) == TEXT
    assert len(seen) == len(WORDS)
    assert all(loop is seen[0] for loop in seen)


def test_collect_runs_a_sync_stream_in_the_calling_thread() -> None:
    """`collect` iterates a sync generator in the caller's thread."""
    threads: list[threading.Thread] = []

    def tokens() -> Iterator[str]:
        for word in WORDS:
            threads.append(threading.current_thread())
            yield word

    assert collect(tokens) == TEXT
    assert all(thread is threading.current_thread() for thread in threads)


async def test_collect_async_pumps_a_sync_stream_on_one_other_thread() -> None:
    """A sync generator runs off the loop's thread, all on one thread (no thread per chunk)."""
    threads: list[threading.Thread] = []

    def tokens() -> Iterator[str]:
        for word in WORDS:
            threads.append(threading.current_thread())
            yield word

    assert await collect_async(tokens) == TEXT
    assert len(threads) == len(WORDS)
    assert threads[0] is not threading.current_thread()
    assert all(thread is threads[0] for thread in threads)


def collect_inside_a_running_loop() -> tuple[BaseException | None, list[str]]:
    """Call `collect` on an async stream from a running loop: the error and the warnings."""

    async def tokens() -> AsyncIterator[str]:
        yield "x"

    async def main() -> BaseException | None:
        try:
            collect(tokens)
        except Exception as error:  # returned, so the test can look at it
            return error
        return None

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        error = asyncio.run(main())
        if error is not None:
            error.__traceback__ = None  # let go of the frames, then collect them here
        gc.collect()
    return error, [str(warning.message) for warning in caught]


def test_collect_inside_a_running_loop_fails_for_an_async_stream() -> None:
    """`collect` cannot run an async stream from inside a running loop: it raises."""
    error, _ = collect_inside_a_running_loop()
    assert isinstance(error, RuntimeError)


def test_collect_inside_a_running_loop_points_to_collect_async() -> None:
    """The error raised there names `collect_async`, and nothing is left un-awaited."""
    error, warned = collect_inside_a_running_loop()
    assert isinstance(error, RuntimeError)
    assert "collect_async" in str(error)
    assert not [message for message in warned if "never awaited" in message]


# --- stopping early ------------------------------------------------------------------------


async def wait_until(flag: threading.Event, timeout: float = 2.0) -> bool:
    """Poll `flag` while letting the loop run; whether it was set within `timeout`."""
    deadline = time.monotonic() + timeout
    while not flag.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(0.005)
    return flag.is_set()


def closing_generator(closed: threading.Event) -> Iterator[str]:
    """Yield forever; set `closed` when closed."""
    try:
        while True:
            yield "tick"
    finally:
        closed.set()


def closing_async_generator(closed: threading.Event) -> AsyncIterator[str]:
    """Yield forever on the loop; set `closed` when closed."""

    async def run() -> AsyncIterator[str]:
        try:
            while True:
                await asyncio.sleep(0)
                yield "tick"
        finally:
            closed.set()

    return run()


@pytest.mark.parametrize("make", [closing_generator, closing_async_generator])
async def test_aiterate_closes_the_source_when_closed_early(
    make: Callable[[threading.Event], Any],
) -> None:
    """Leaving `aiterate` early (closed with `aclosing`) runs the source's `finally`."""
    closed = threading.Event()
    source = make(closed)  # held here, so only aiterate can close it
    async with contextlib.aclosing(aiterate(open_source(source))) as chunks:
        async for _ in chunks:
            break
    assert await wait_until(closed)


@pytest.mark.parametrize("make", [closing_generator, closing_async_generator])
async def test_aiterate_closes_the_source_after_a_plain_break(
    make: Callable[[threading.Event], Any],
) -> None:
    """A plain `break` also closes the source, once the loop finalises the generator."""
    closed = threading.Event()
    source = make(closed)
    count = 0
    async for _ in aiterate(open_source(source)):
        count += 1
        if count == 3:
            break
    assert await wait_until(closed)
    assert source is not None


async def test_aiterate_closes_an_async_source_when_cancelled() -> None:
    """Cancelling the consumer closes an async source."""
    closed = threading.Event()
    source = closing_async_generator(closed)
    started = asyncio.Event()

    async def consume() -> None:
        async for _ in aiterate(open_source(source)):
            started.set()

    task = asyncio.create_task(consume())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await wait_until(closed)


def blocked_generator() -> Iterator[str]:
    """Yield once, then block the thread for a minute."""
    yield "first"
    time.sleep(60)
    yield "never"


async def test_blocked_sync_generator_neither_blocks_the_loop_nor_the_exit() -> None:
    """A generator stuck in `time.sleep(60)` leaves the loop free and can be abandoned."""
    ticks = 0
    stop_ticking = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not stop_ticking.is_set():
            ticks += 1
            await asyncio.sleep(0.005)

    ticking = asyncio.create_task(ticker())
    received: list[str] = []
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            async for chunk in aiterate(open_source(blocked_generator)):
                received.append(chunk)
    elapsed = time.monotonic() - started
    ticks_while_blocked = ticks
    stop_ticking.set()
    await ticking
    assert received == ["first"]
    assert elapsed < 1.5
    assert ticks_while_blocked >= 10  # about 60 expected in 0.3 s; a blocked loop gives ~1


async def test_collect_async_on_a_blocked_generator_can_be_cancelled_promptly() -> None:
    """`collect_async` over a blocked sync generator returns promptly on timeout."""
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(collect_async(blocked_generator), timeout=0.2)
    assert time.monotonic() - started < 1.5


async def test_aiterate_closes_an_openai_async_stream_left_early(sse: SSEServer) -> None:
    """Leaving an `openai.AsyncStream` early closes its HTTP response."""
    sse.script.chunks = [chat_chunk("a"), chat_chunk("b"), chat_chunk("c")]
    sse.script.hold_after = 1  # the rest waits, so the response is still open
    client = openai.AsyncOpenAI(base_url=sse.base_url, api_key="test", max_retries=0)
    stream = await client.chat.completions.create(
        model="test-model", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    try:
        async with contextlib.aclosing(aiterate(open_source(stream))) as chunks:
            async for _ in chunks:
                break
        assert stream.response.is_closed
    finally:
        sse.release.set()
        await stream.close()
        await client.close()


# --- helpers -------------------------------------------------------------------------------


async def test_close_source_closes_what_can_be_closed() -> None:
    """`close_source` uses `aclose`, a sync `close` or an async `close`, and skips the rest."""
    sync_closed, async_closed = threading.Event(), threading.Event()
    sync_gen = closing_generator(sync_closed)
    next(sync_gen)
    async_gen = closing_async_generator(async_closed)
    await anext(async_gen)

    class AsyncClosable:
        closed = False

        async def close(self) -> None:
            self.closed = True

    closable = AsyncClosable()
    await close_source(sync_gen)
    await close_source(async_gen)  # type: ignore[arg-type]
    await close_source(closable)  # type: ignore[arg-type]
    await close_source(iter([1, 2]))  # nothing to close: no error
    assert sync_closed.is_set()
    assert async_closed.is_set()
    assert closable.closed


async def test_call_in_thread_returns_the_result_from_another_thread() -> None:
    """`call_in_thread` runs the function off the loop's thread and returns its value."""
    assert await call_in_thread(threading.current_thread) is not threading.current_thread()


async def test_call_in_thread_reraises_the_same_error() -> None:
    """An exception from the function reaches the caller as the same object."""
    error = LookupError("gone")

    def fail() -> None:
        raise error

    with pytest.raises(LookupError) as excinfo:
        await call_in_thread(fail)
    assert excinfo.value is error
