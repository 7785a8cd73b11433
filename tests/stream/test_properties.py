"""Property-based tests of the engine: any mix of chunks follows `write_stream`'s rules.

Each example is a list of tagged chunks: text, empty text, `None`, an object, or a
callable. The expected return value comes from a model of the rules written here,
independently of `Response`:

- empty strings are skipped, and never split a run of text;
- callables are called, in order, and never kept, and each ends the run of text before
  it, as Streamlit flushes its text there: `["a", fn, "b"]` gives `["a", "b"]`;
- each run of text is one string, and every other chunk (`None` too) is kept as it is;
- the value is `""` for nothing, the string for exactly one string, else the list.

The same streams go through `Response` directly, through `collect` (a sync generator,
iterated in this thread) and through `collect_async` (an async generator on the loop, and
a sync one pumped by a thread). Hypothesis is derandomized, so CI sees the same examples
every run.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import queue
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual.app import App
from textual.pilot import Pilot

from tui.markdown import MarkdownSettler
from tui.stream import Response, collect, collect_async
from tui.text import printable_markdown
from tui.widgets.transcript import MarkdownLines
from tui.widgets.transcript.stream_view import StreamView

ENGINE = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

objects = st.one_of(
    st.integers(),
    st.floats(),  # NaN included: objects are compared by identity
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.tuples(st.integers(), st.text(max_size=3)),
    st.builds(object),
)
tagged = st.one_of(
    st.tuples(st.just("text"), st.text(min_size=1, max_size=12)),
    st.tuples(st.just("empty"), st.just("")),
    st.tuples(st.just("none"), st.none()),
    st.tuples(st.just("object"), objects),
    st.tuples(st.just("call"), st.none()),
)
streams = st.lists(tagged, max_size=30)


class Calls:
    """Makes callable chunks that note when they are called, as stream position."""

    def __init__(self) -> None:
        self.log: list[int] = []

    def marker(self, position: int) -> Any:
        def mark() -> None:
            self.log.append(position)

        return mark


def materialise(tags: list[tuple[str, Any]], calls: Calls) -> list[Any]:
    """The real chunks: a fresh callable for each "call" tag, the value for the rest."""
    return [
        calls.marker(position) if kind == "call" else value
        for position, (kind, value) in enumerate(tags)
    ]


class Run(list):
    """The text chunks of one run, in the model."""


def expected_items(tags: list[tuple[str, Any]]) -> list[Any]:
    """The rules, written out: runs of text merged across empties, ended by calls."""
    items: list[Any] = []
    run_open = False
    for kind, value in tags:
        if kind == "text":
            if not run_open:
                items.append(Run())
                run_open = True
            items[-1].append(value)
        elif kind in {"none", "object"}:
            items.append(value)
            run_open = False
        elif kind == "call":
            run_open = False
    return ["".join(item) if isinstance(item, Run) else item for item in items]


def check(value: object, tags: list[tuple[str, Any]], calls: Calls) -> None:
    """`value` follows every rule for the stream `tags`, and each call happened once."""
    items = expected_items(tags)
    texts = "".join(value for kind, value in tags if kind == "text")
    call_positions = [position for position, (kind, _) in enumerate(tags) if kind == "call"]
    assert calls.log == call_positions, "each callable is called once, in stream order"
    if not items:
        assert value == ""
        return
    if len(items) == 1 and isinstance(items[0], str):
        assert value == items[0] == texts
        assert type(value) is str
        return
    assert isinstance(value, list)
    assert len(value) == len(items)
    for got, want in zip(value, items, strict=True):
        if isinstance(want, str):
            assert got == want
        else:
            assert got is want, "objects are kept as they are, not copied or converted"
    adjacent = sum(
        1
        for left, right in itertools.pairwise(value)
        if isinstance(left, str) and isinstance(right, str)
    )
    assert adjacent <= len(call_positions), "two strings side by side only across a call"
    assert "".join(item for item in value if isinstance(item, str)) == texts


@ENGINE
@given(streams)
def test_response_follows_the_rules(tags: list[tuple[str, Any]]) -> None:
    calls = Calls()
    response = Response()
    for chunk in materialise(tags, calls):
        response.feed(chunk)
    check(response.value, tags, calls)


@ENGINE
@given(streams)
def test_the_value_read_mid_stream_is_the_rules_applied_so_far(
    tags: list[tuple[str, Any]],
) -> None:
    """A UI or the history reads `value` while the stream runs: each read is consistent."""
    calls = Calls()
    response = Response()
    for count, chunk in enumerate(materialise(tags, calls), start=1):
        response.feed(chunk)
        seen = Calls()
        seen.log = list(calls.log)
        check(response.value, tags[:count], seen)


@ENGINE
@given(streams)
def test_collect_a_sync_generator(tags: list[tuple[str, Any]]) -> None:
    calls = Calls()
    chunks = materialise(tags, calls)

    def generate() -> Iterator[Any]:
        yield from chunks

    check(collect(generate), tags, calls)


@ENGINE
@given(streams)
def test_collect_async_an_async_generator_and_a_sync_one(tags: list[tuple[str, Any]]) -> None:
    async def both() -> None:
        calls = Calls()
        chunks = materialise(tags, calls)

        async def agenerate() -> AsyncIterator[Any]:
            for chunk in chunks:
                yield chunk

        check(await collect_async(agenerate), tags, calls)
        calls = Calls()
        check(await collect_async(iter(materialise(tags, calls))), tags, calls)

    asyncio.run(both())


# --- the Markdown path --------------------------------------------------------------------

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=80)
markdownish = st.lists(
    st.sampled_from([*"*_`~|#->+=[]()!\\ \n\t1.:aé中", "```", "~~~", "\r\n", "| a |", "|---|"]),
    max_size=30,
).map("".join)
pieces = st.lists(st.one_of(any_text, markdownish), max_size=12)


@settings(max_examples=2000, deadline=None, derandomize=True, database=None)
@given(pieces)
@example(["0*", "0*", "*"])  # once shown "0*0*", then held back to "0" by the last star
def test_the_settler_only_ever_shows_a_growing_prefix(chunks: list[str]) -> None:
    """For any Unicode, fed in any pieces: no exception, and what shows never shrinks."""
    settler = MarkdownSettler()
    total = shown = 0
    for chunk in chunks:
        total += len(chunk)
        now = settler.feed(chunk)
        assert shown <= now <= total
        shown = now
    assert settler.flush() == total


class FuzzApp(App[None]):
    """An app that stays up while hypothesis streams examples into it, one view each."""

    def __init__(self) -> None:
        super().__init__()
        self.animation_level = "none"


class Host:
    """Runs coroutines inside the app's own task, so they see the app as the active one."""

    def __init__(self, app: FuzzApp, pilot: Pilot[None], loop: asyncio.AbstractEventLoop):
        self.app = app
        self.pilot = pilot
        self.loop = loop
        self.jobs: asyncio.Queue[tuple[Any, concurrent.futures.Future[Any]] | None] = (
            asyncio.Queue()
        )

    def run(self, job: Any) -> Any:
        """Run `job()` (a coroutine function) in the app and return its result."""
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self.loop.call_soon_threadsafe(self.jobs.put_nowait, (job, future))
        return future.result(timeout=60)

    async def serve(self) -> None:
        while (item := await self.jobs.get()) is not None:
            job, future = item
            try:
                future.set_result(await job())
            except Exception as error:
                future.set_exception(error)


@pytest.fixture(scope="module")
def host() -> Iterator[Host]:
    """One app, run by its own thread's event loop for the whole module."""
    ready: queue.Queue[Host] = queue.Queue()

    async def main() -> None:
        app = FuzzApp()
        async with app.run_test(size=(60, 20)) as pilot:
            host = Host(app, pilot, asyncio.get_running_loop())
            ready.put(host)
            await host.serve()

    thread = threading.Thread(target=asyncio.run, args=(main(),), name="fuzz-app", daemon=True)
    thread.start()
    host = ready.get(timeout=30)
    yield host
    host.loop.call_soon_threadsafe(host.jobs.put_nowait, None)
    thread.join(timeout=30)


@settings(max_examples=120, deadline=None, derandomize=True, database=None)
@given(pieces, st.sampled_from([0, 2000]))
def test_any_unicode_streams_into_a_running_stream_view(
    host: Host, chunks: list[str], typewriter: int
) -> None:
    """Random Unicode, split anyhow, through StreamView and Markdown, at once or typed
    (so that the settler holds and releases text): all shown, no exception."""
    app = host.app

    async def stream() -> tuple[object, str]:
        view = StreamView(typewriter=typewriter)
        await app.screen.mount(view)
        value = await view.write_stream(iter(chunks))
        app.export_screenshot()  # lays out and renders every line of the screen
        sources = [markdown.source for markdown in view.query(MarkdownLines)]
        await view.remove()
        return value, "".join(sources)

    value, shown = host.run(stream)
    assert app.is_running and app._exception is None
    assert value == "".join(chunks)
    assert shown == printable_markdown("".join(chunks))
