"""Sealing a growing top-level fence or paragraph of a `MarkdownFlow` in pieces.

A piece is an ordinary `MarkdownFence` or `MarkdownParagraph` holding the finished front
of the block; the rest of the block, still open, goes on in a new widget after it. The
CSS classes `-joined-below` and `-joined-above` take away the margin and padding between
them, so the pieces show as the one block a one-shot render makes:

- **a fence** is cut between two lines of code. The sealed piece keeps the highlighting
  the whole open part had; a cut is only made where highlighting the rest on its own gives
  the same styles, so that no lexer state (a string, a comment) runs across it;
- **a paragraph** is cut where a wrapped line begins, at the width it has now, so that
  both pieces wrap into exactly the lines the whole would. The cut in the source must
  parse into the same two halves, styles and all: no emphasis, link or code runs
  across it.

A finished paragraph's pieces show as the whole does as long as the width stays; when it
changes, `join_pieces` puts them back into one widget, which wraps as a one-shot render's.
(Joining at the end instead costs a giant paragraph a second's freeze for nothing.) A
fence's pieces stay: code does not wrap, so they show as one fence at any width.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich._wrap import divide_line
from textual.content import Content
from textual.widget import Widget
from textual.widgets._markdown import MarkdownBlock, MarkdownFence, MarkdownParagraph

if TYPE_CHECKING:
    from tui.widgets.markdown_flow import MarkdownFlow

__all__ = ["cut_for_another_width", "join_pieces", "seal"]

BELOW, ABOVE = "-joined-below", "-joined-above"
SNIPPET = 32
"""Characters of plain text that must match the source at a paragraph cut."""


async def seal(flow: MarkdownFlow) -> None:
    """Seal the front of `flow`'s open block if it is a top-level fence or paragraph
    that has grown past its piece size."""
    children = flow.children
    block = children[-1] if children else None
    if not isinstance(block, MarkdownBlock) or block._token.level != 0:
        return
    if isinstance(block, MarkdownFence) and block._token.type == "fence":
        await _seal_fence(flow, block)
    elif isinstance(block, MarkdownParagraph) and not flow.tail_head:
        await _seal_paragraph(flow, block)


def is_paragraph_piece(block: Widget) -> bool:
    """Whether `block` is a piece of a paragraph, which `join_pieces` joins at the end."""
    return isinstance(block, MarkdownParagraph) and (
        block.has_class(BELOW) or block.has_class(ABOVE)
    )


def _lines(content: Content) -> list[Content]:
    return content.split("\n", allow_blank=True)


def _same(left: list[Content], right: list[Content]) -> bool:
    """Whether two lists of lines have the same text and the same styles."""
    return len(left) == len(right) and all(
        a.plain == b.plain and a.spans == b.spans for a, b in zip(left, right, strict=True)
    )


async def _seal_fence(flow: MarkdownFlow, fence: MarkdownFence) -> None:
    keep = flow.FENCE_PIECE_LINES
    code = fence.code.split("\n")
    if len(code) < 2 * keep:
        return
    cut = len(code) - keep
    whole = _lines(fence._highlighted_code)
    rest = fence.highlight(
        "\n".join(code[cut:]),
        fence.lexer,
        ansi=flow.app.native_ansi_color,
        dark=flow.app.current_theme.dark,
    )
    if len(whole) != len(code) or not _same(_lines(rest), whole[cut:]):
        return  # a lexer state runs across the cut: try another line next time
    tail = flow.source[flow.tail_start :]
    opening = flow.tail_head or tail[: tail.index("\n") + 1]
    body = tail if flow.tail_head else tail[len(opening) :]
    offset = 0
    for _ in range(cut):
        offset = body.index("\n", offset) + 1
    skipped = 0 if flow.tail_head else len(opening)
    flow.advance_tail(opening, skipped + offset, cut + (0 if flow.tail_head else 1))
    sealed = MarkdownFence(flow, fence._token, "\n".join(code[:cut]))
    sealed._highlighted_code = Content("\n").join(whole[:cut])
    blocks = list(flow._parse_markdown(flow.parser().parse(opening + body[offset:])))
    await _split(flow, fence, sealed, blocks[0])


async def _split(flow: MarkdownFlow, block: MarkdownBlock, sealed: Widget, rest: Widget) -> None:
    """Mount `sealed`, the front of the open `block`, before it, and make `block` the rest.

    The sealed piece is a new widget, so that the stream layout measures it and all after
    it again (it keeps a cached height for a widget it was not told has changed).
    """
    sealed.set_classes(block.classes)
    sealed.add_class(BELOW)
    with flow.app.batch_update():
        await flow.mount(sealed, before=block)
        await block._update_from_block(rest)  # type: ignore[arg-type]
        block.add_class(ABOVE)


def _wrapped_line_starts(plain: str, width: int) -> list[int]:
    """The offsets in `plain` at which wrapped lines begin (after the first), at `width`."""
    starts: list[int] = []
    base = 0
    for segment in plain.split("\n"):
        starts += [base + offset for offset in divide_line(segment, width, fold=True)]
        base += len(segment) + 1
    return starts


def _paragraph(flow: MarkdownFlow, text: str) -> MarkdownParagraph | None:
    """`text` parsed, if it is exactly one top-level paragraph."""
    blocks = list(flow._parse_markdown(flow.parser().parse(text)))
    if len(blocks) == 1 and isinstance(blocks[0], MarkdownParagraph):
        return blocks[0]
    return None


def _matches(paragraph: MarkdownParagraph | None, content: Content) -> bool:
    return paragraph is not None and _same([paragraph._content], [content])


async def _seal_paragraph(flow: MarkdownFlow, paragraph: MarkdownParagraph) -> None:
    content = paragraph._content
    plain = content.plain
    size = flow.PARAGRAPH_PIECE_CHARS
    width = paragraph.content_region.width
    if len(plain) < 2 * size or width <= 0:
        return
    source = flow.source[flow.tail_start :]
    starts = [start for start in _wrapped_line_starts(plain, width) if start <= len(plain) - size]
    for start in reversed(starts[-3:]):
        snippet = plain[start : start + SNIPPET]
        cut = source.find(snippet, start)
        for _ in range(4):
            if cut <= 0:
                break
            if source[cut - 1].isspace():
                rest = _paragraph(flow, source[cut:])
                front = content[:start]
                if _matches(rest, content[start:]) and _matches(
                    _paragraph(flow, source[:cut]), front.rstrip()
                ):
                    assert rest is not None
                    sealed = MarkdownParagraph(flow, paragraph._token)
                    sealed._flow_full = front  # type: ignore[attr-defined]
                    sealed._flow_width = flow.size.width  # type: ignore[attr-defined]
                    sealed.set_content(front.rstrip())
                    flow.advance_tail("", cut, source.count("\n", 0, cut))
                    await _split(flow, paragraph, sealed, rest)
                    return
            cut = source.find(snippet, cut + 1)


def cut_for_another_width(block: Widget) -> bool:
    """Whether `block` is a piece of a paragraph cut where its lines wrapped at a width its
    `MarkdownFlow` no longer has, so that it must be joined to wrap as the whole would."""
    width = getattr(block, "_flow_width", None)
    return width is not None and block.parent is not None and width != block.parent.size.width


async def join_pieces(flow: MarkdownFlow, width_changed: bool = False) -> None:
    """Join each run of sealed paragraph pieces in `flow` back into one widget; only those
    cut at another width than the flow has now, if `width_changed`.

    A fence's pieces stay as they are: code does not wrap, so they show as the whole fence
    does at any width, and joining a giant fence would highlight and lay out all of it
    again at once, freezing the app for seconds (10 s for 200 kB).
    """
    run: list[MarkdownBlock] = []
    for child in list(flow.children):
        if isinstance(child, MarkdownParagraph) and (run or child.has_class(BELOW)):
            run.append(child)
            if not child.has_class(BELOW):
                if not width_changed or any(map(cut_for_another_width, run)):
                    await _join(run)
                run = []


async def _join(run: list[MarkdownBlock]) -> None:
    """Replace a run of pieces by one new widget: a new one, so that it is measured."""
    first = run[0]
    flow = first._markdown
    joined = MarkdownParagraph(flow, first._token)
    joined.set_content(Content("").join(getattr(p, "_flow_full", p._content) for p in run))
    joined.set_classes(first.classes)
    joined.remove_class(BELOW, ABOVE)
    joined.source_range = (first.source_range[0], run[-1].source_range[1])
    with flow.app.batch_update():
        await flow.mount(joined, before=first)
        await flow.remove_children(run)
