"""`MarkdownLines` looks as Textual's `Markdown` does: the same document shown by each, in
an app, in a dark and a light theme, gives the same characters in every cell and colours
within a few steps of each other.

Known differences (alpha blending, not layout): inline code's `$warning 10%` background
and a block quote's `$text-primary 50%` edge come out a few RGB steps apart, because
Textual blends them over another layer than the painter does.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.color import Color
from rich.style import Style
from textual.app import App, ComposeResult
from textual.widgets import Markdown

from tui.widgets.transcript import MarkdownLines

DOCUMENT = """# Title one

Some *emphasis*, **strong**, `inline code`, ~~gone~~ and a [link](https://x.y) in a \
paragraph that is long enough to wrap around the width of the widget at least once.

## Second heading

- first item
- second item
  - nested item with more words
    - deeper
- third

1. one
2. two

> a quote
> > nested quote

```python
def f(x):
    return x + 1  # comment
```

| Name | Value |
|------|-------|
| a    | 1     |
| bb   | 22    |

---

### Third

Last paragraph with a hard\\
break.
"""

TOLERANCE = 12
"""The most one RGB channel may differ (the blending noted above)."""


class Side(App[None]):
    CSS = "Markdown { padding: 0; margin: 0; }"

    def __init__(self, widget: Any, theme: str) -> None:
        super().__init__()
        self.widget = widget
        self.theme = theme

    def compose(self) -> ComposeResult:
        yield self.widget


Cell = tuple[str, Style]


async def cells(widget: Any, theme: str) -> list[list[Cell]]:
    app = Side(widget, theme)
    async with app.run_test(size=(70, 60)) as pilot:
        await pilot.pause()
        strips = app.screen._compositor.render_strips()
    return [[(ch, seg.style or Style()) for seg in strip for ch in seg.text] for strip in strips]


def rgb(color: Color | None) -> tuple[int, int, int] | None:
    return None if color is None or color.triplet is None else tuple(color.triplet)


def close(a: tuple[int, int, int] | None, b: tuple[int, int, int] | None) -> bool:
    if a is None or b is None:
        return a == b
    return max(abs(x - y) for x, y in zip(a, b, strict=True)) <= TOLERANCE


def differences(expected: list[list[Cell]], got: list[list[Cell]]) -> list[str]:
    found = []
    for y, (row_a, row_b) in enumerate(zip(expected, got, strict=True)):
        for x, ((char_a, a), (char_b, b)) in enumerate(zip(row_a, row_b, strict=True)):
            if char_a != char_b:
                found.append(f"({x},{y}) {char_a!r} != {char_b!r}")
                continue
            visible_text = char_a != " " or a.underline or a.strike
            if visible_text and not close(rgb(a.color), rgb(b.color)):
                found.append(f"({x},{y}) {char_a!r} colour {a.color} != {b.color}")
            if not close(rgb(a.bgcolor), rgb(b.bgcolor)):
                found.append(f"({x},{y}) {char_a!r} background {a.bgcolor} != {b.bgcolor}")
            for attribute in ("bold", "italic", "underline", "strike"):
                if bool(getattr(a, attribute)) != bool(getattr(b, attribute)):
                    found.append(f"({x},{y}) {char_a!r} {attribute} differs")
    return found


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "nord"])
async def test_cells_match_textual_markdown(theme: str) -> None:
    expected = await cells(Markdown(DOCUMENT), theme)
    got = await cells(MarkdownLines(DOCUMENT), theme)
    assert sum(1 for row in expected if "".join(c for c, _ in row).strip()) > 25
    assert differences(expected, got) == []


async def test_the_comparison_can_fail() -> None:
    """A document that differs by one word is caught."""
    expected = await cells(Markdown(DOCUMENT), "textual-dark")
    got = await cells(MarkdownLines(DOCUMENT.replace("Third", "Fifth")), "textual-dark")
    assert differences(expected, got)


async def test_a_streamed_giant_paragraph_wraps_as_the_one_shot_one() -> None:
    """Its sealed pieces wrap on from each other, so the screen is the same as for the
    whole paragraph rendered at once (checked through the middle of it)."""
    text = " ".join(f"word{n} *em{n}* `c{n}`" for n in range(250)) + "\n"
    streamed = MarkdownLines()
    streamed.document.PARAGRAPH_PIECE_CHARS = 300
    for start in range(0, len(text), 7):
        streamed.document.append(text[start : start + 7])
    streamed.document.close()
    assert len(streamed.document.blocks) > 5
    expected = await cells(Markdown(text), "textual-dark")
    assert differences(expected, await cells(streamed, "textual-dark")) == []


async def test_measuring_a_block_gives_the_room_painting_it_takes() -> None:
    """Layout measures fences and paragraphs without painting them; at every width the
    measure must be what the painted block then takes."""
    lines = MarkdownLines()
    lines.document.FENCE_PIECE_LINES = 3
    lines.document.PARAGRAPH_PIECE_CHARS = 200
    text = DOCUMENT + "\n```\n" + "code\n" * 20 + "```\n\n" + "some words " * 120 + "\n"
    for start in range(0, len(text), 9):
        lines.document.append(text[start : start + 9])
    lines.document.close()
    app = Side(lines, "textual-dark")
    async with app.run_test(size=(70, 30)) as pilot:
        await pilot.pause()
        painter = lines._get_painter()
        for width in (12, 33, 70):
            carry = None
            for block in lines.document.blocks:
                carry = carry if block.joined_above else None
                painted = painter.paint(block, width, carry=carry)
                extent = painter.measure(block, width, carry)
                assert (extent.top, extent.height, extent.bottom) == (
                    painted.top, len(painted.lines), painted.bottom
                ), (block.kind, width)  # fmt: skip
                assert extent.carry == painted.carry
                carry = painted.carry


async def test_after_a_resize_the_lines_wrap_as_textual_markdown_at_the_new_width() -> None:
    expected_app = Side(Markdown(DOCUMENT), "textual-dark")
    got_app = Side(MarkdownLines(DOCUMENT), "textual-dark")
    screens = []
    for app in (expected_app, got_app):
        async with app.run_test(size=(70, 60)) as pilot:
            await pilot.pause()
            await pilot.resize_terminal(43, 60)
            await pilot.pause()
            strips = app.screen._compositor.render_strips()
            screens.append(
                [[(c, s.style or Style()) for s in strip for c in s.text] for strip in strips]
            )
    assert differences(*screens) == []


async def test_a_theme_change_repaints_in_the_new_theme() -> None:
    """Lines painted in a dark theme are painted again when the theme turns light."""
    expected = await cells(Markdown(DOCUMENT), "textual-light")
    lines = MarkdownLines(DOCUMENT)
    app = Side(lines, "textual-dark")
    async with app.run_test(size=(70, 60)) as pilot:
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        strips = app.screen._compositor.render_strips()
        got = [[(c, s.style or Style()) for s in strip for c in s.text] for strip in strips]
    assert differences(expected, got) == []
