"""MarkdownFlow streams to the same screen as a one-shot `Markdown(full_text)`.

Each corpus is appended in small pieces, with layout in between (a paragraph is sealed
only where it wraps, so it needs a width), into a `MarkdownFlow` with tiny piece sizes,
so that fences and paragraphs are sealed many times over. The screen is compared cell by
cell, styles included, with a one-shot render of the same text in the same host: while
the giant blocks are still open and in pieces, and again when the stream has stopped,
when the pieces are kept and the widget trees must match too (the pieces of a block read
as the one block they are). After a resize, a paragraph's pieces are joined to wrap anew.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownFence

from benchmarks.llm_text import llm_markdown, paragraph
from tui.app import STYLES
from tui.widgets.markdown_flow import MarkdownFlow
from tui.widgets.stream_view import StreamView

SIZE = (100, 480)


def giant_fence(lines: int) -> str:
    """A Python fence with a docstring that runs across many lines, so some cuts are unsafe."""
    code = ["```python", "def giant(rows):", '    """A docstring', "", "    that runs on."]
    code += [f"    more {i}" for i in range(6)] + ['    """']
    code += [f"    value_{i} = [row[{i}] * 2 for row in rows]  # note {i}" for i in range(lines)]
    return "\n".join([*code, "    return rows", "```"])


def giant_paragraph(size: int) -> str:
    rng = random.Random(7)
    text = paragraph(rng)
    while len(text) < size:
        text += " " + paragraph(rng)
    return text + " See [the docs](https://example.org) and a `long code span` here."


NESTED = """- a list with a fence inside

  ```
  inside the item
  ```

  1. nested *ordered*
  2. items

> a quote with **bold**
> and a second line

| Name | Value |
|---|---:|
| one | 1.00 |
| two | 2.00 |
"""

CORPUS = {
    "llm": llm_markdown(2_500, seed=3),
    "giant fence": "Before the fence.\n\n" + giant_fence(60) + "\n\nAfter the fence.\n",
    "giant paragraph": giant_paragraph(3_000) + "\n\n- then a list\n- of two\n",
    "nested": NESTED + "\n" + giant_fence(20) + "\n\n" + giant_paragraph(1_200) + "\n",
}
OPEN_AT = {"giant fence": "value_40 ", "giant paragraph": "the docs"}
"""Where a corpus is also compared mid-stream: just before this text, inside a giant block."""


class Host(App[None]):
    """A StreamView with the app's CSS, as in the chat."""

    CSS_PATH = [STYLES / "app.tcss"]

    def compose(self) -> ComposeResult:
        yield StreamView(typewriter=0)


Cells = list[list[tuple[str, Style | None, str | None]]]


def cells(app: App[Any]) -> Cells:
    """Every cell of the screen: its character, its style and its link. (Not the style's
    meta, which holds the offset of a cell in its widget, for selecting text.)"""
    strips = app.screen._compositor.render_strips()
    return [
        [
            (char, seg.style and seg.style.clear_meta_and_links(), seg.style and seg.style.link)
            for seg in strip
            for char in seg.text
        ]
        for strip in strips
    ]


def tree(markdown: Markdown) -> list[tuple[str, str]]:
    """Each block of `markdown`, depth first: its class name and its text; the pieces of a
    block read as the one block they are."""
    blocks: list[tuple[str, str]] = []
    for block in markdown.query(MarkdownBlock):
        text = getattr(block, "_flow_full", block._content).plain
        if block.has_class("-joined-above"):
            glue = "\n" if isinstance(block, MarkdownFence) else ""
            blocks[-1] = (blocks[-1][0], blocks[-1][1] + glue + text)
        else:
            blocks.append((type(block).__name__, text))
    return blocks


async def one_shot(text: str) -> tuple[Cells, list[tuple[str, str]]]:
    """The screen and the tree of `Markdown(text)` in the host."""
    async with Host().run_test(size=SIZE) as pilot:
        view = pilot.app.query_one(StreamView)
        markdown = Markdown(text, classes="streamed")
        await view.mount(markdown)
        await pilot.pause()
        return cells(pilot.app), tree(markdown)


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MarkdownFlow, "FENCE_PIECE_LINES", 4)
    monkeypatch.setattr(MarkdownFlow, "PARAGRAPH_PIECE_CHARS", 250)


@pytest.mark.parametrize("name", list(CORPUS))
@pytest.mark.usefixtures("small_pieces")
async def test_streamed_screen_is_the_one_shot_screen(name: str) -> None:
    text = CORPUS[name]
    open_at = text.index(OPEN_AT[name]) if name in OPEN_AT else None
    rng = random.Random(name)
    async with Host().run_test(size=SIZE) as pilot:
        view = pilot.app.query_one(StreamView)
        flow = MarkdownFlow(classes="streamed")
        await view.mount(flow)
        at = appends = 0
        while at < len(text):
            end = min(len(text), at + rng.randint(1, 60))
            if open_at is not None and at < open_at < end:
                end = open_at
            await flow.append(text[at:end])
            at, appends = end, appends + 1
            if appends % 3 == 0 or at == open_at:
                await pilot.pause()  # a layout, which gives paragraphs their width
            if at == open_at:
                assert flow.query(".-joined-below"), "the open giant block is in pieces"
                expected, _ = await one_shot(text[:at])
                assert cells(pilot.app) == expected, f"{name}: screen differs mid-block"
        stream = MarkdownFlow.get_stream(flow)
        await stream.stop()
        for _ in range(3):  # the joined blocks' new layout, then its paint
            await pilot.pause()
        if name in ("giant fence", "nested"):
            assert flow.query("MarkdownFence.-joined-below"), "a fence's pieces are kept"
        if name in ("giant paragraph", "nested"):
            assert flow.query("MarkdownParagraph.-joined-below"), "so are a paragraph's"
        expected_cells, expected_tree = await one_shot(text)
        assert tree(flow) == expected_tree
        assert cells(pilot.app) == expected_cells
        assert len(expected_tree) < SIZE[1] // 2, "the corpus fits the screen, so all is compared"


@pytest.mark.usefixtures("small_pieces")
async def test_a_resize_joins_a_finished_paragraphs_pieces_to_wrap_anew() -> None:
    text = CORPUS["giant paragraph"]
    async with Host().run_test(size=SIZE) as pilot:
        flow = MarkdownFlow(classes="streamed")
        await pilot.app.query_one(StreamView).mount(flow)
        for at in range(0, len(text), 50):
            await flow.append(text[at : at + 50])
            await pilot.pause()
        await MarkdownFlow.get_stream(flow).stop()
        assert flow.query("MarkdownParagraph.-joined-below")
        await pilot.resize_terminal(70, SIZE[1])
        for _ in range(3):
            await pilot.pause()
        assert not flow.query(".-joined-below, .-joined-above"), "the pieces are joined"
        shown = cells(pilot.app)
    async with Host().run_test(size=(70, SIZE[1])) as pilot:
        markdown = Markdown(text, classes="streamed")
        await pilot.app.query_one(StreamView).mount(markdown)
        await pilot.pause()
        assert shown == cells(pilot.app)
