"""Every entry of the catalogue streamed through `StreamView` in a running app.

For each: the app keeps running and takes input after; what arrived is returned (or kept,
when the stream fails) and shown; nothing the stream sent reaches the terminal raw; no
markup is interpreted (the literal text is on the screen); the screen holds at most the
display limit of text.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.widgets import Input

from tests.hostile.catalogue import CATALOGUE, Hostile
from tests.hostile.harness import SIZE, ViewApp, leaks, recording, type_into
from tests.screen import screen_text
from tui import StreamView
from tui.widgets.transcript import MarkdownLines
from tui.widgets.transcript.display_limit import MAX_CHARS, TruncationNotice

LIMIT = 60
"""Seconds after which a stream that never ends fails its test instead of hanging."""


def same(actual: Any, expected: Any) -> bool:
    """Equal strings, or a list holding the very objects the stream sent, in order."""
    if isinstance(expected, str):
        return actual == expected
    return (
        isinstance(actual, list)
        and len(actual) == len(expected)
        and all(
            a == e if isinstance(e, str) else a is e for a, e in zip(actual, expected, strict=True)
        )
    )


@pytest.mark.parametrize("entry", CATALOGUE, ids=[entry.id for entry in CATALOGUE])
async def test_a_hostile_stream_through_stream_view(entry: Hostile) -> None:
    app = ViewApp()
    written = recording(app)
    async with app.run_test(headless=False, size=SIZE) as pilot:
        view = app.query_one(StreamView)
        if entry.raises is None:
            value = await asyncio.wait_for(view.write_stream(entry.make()), LIMIT)
        else:
            with pytest.raises(entry.raises):
                await asyncio.wait_for(view.write_stream(entry.make()), LIMIT)
            value = view.response.value
        await pilot.pause()
        assert same(value, entry.value), "the response holds everything that arrived"
        screen = screen_text(app)
        for text in entry.shows:
            assert text in screen
        shown = sum(len(markdown.source) for markdown in view.query(MarkdownLines))
        assert shown <= MAX_CHARS
        notices = view.query(TruncationNotice)
        text_length = len(value) if isinstance(value, str) else 0
        assert bool(notices) is (text_length > MAX_CHARS)
        assert await type_into(pilot, app.query_one(Input), "still here") == "still here"
    assert not leaks("".join(written))
