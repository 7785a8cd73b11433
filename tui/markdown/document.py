"""`MarkdownDocument`: a Markdown text that grows, parsed again only where it is open.

Each append parses the *open tail*, the last top-level block, whatever came since it.
Every top-level block before the last is finished (later text cannot change it), so it is
*sealed*: kept, marked `stable`, and never parsed again. A giant fence is sealed in
pieces of `FENCE_PIECE_LINES` lines as it grows, and a giant paragraph in pieces of about
`PARAGRAPH_PIECE_CHARS`, so that only its last lines are parsed (and painted) again on
each append; the pieces show as one block (`joined_above`, `joined_below`).
"""

from __future__ import annotations

from tui.markdown.blocks import Block, Inline, InlineSpan
from tui.markdown.parse import parser, top_level

__all__ = ["MarkdownDocument"]


def _line_offset(text: str, line: int) -> int:
    """The offset in `text` at which its line number `line` (from 0) starts."""
    offset = 0
    for _ in range(line):
        offset = text.index("\n", offset) + 1
    return offset


class MarkdownDocument:
    """A growing Markdown text and its blocks: the sealed ones, then the open tail.

    Example:
        >>> doc = MarkdownDocument()
        >>> doc.append("# Title\\n\\nSome ")
        >>> doc.append("text")
        >>> [(block.kind, block.stable) for block in doc.blocks]
        [('heading', True), ('paragraph', False)]
        >>> doc.close()
        >>> all(block.stable for block in doc.blocks)
        True
    """

    FENCE_PIECE_LINES = 40
    """Lines of a growing top-level fence sealed at a time."""
    PARAGRAPH_PIECE_CHARS = 1_000
    """Characters, about, of a growing top-level paragraph sealed at a time."""

    def __init__(self, text: str = "") -> None:
        self.source = ""
        """All the text appended so far."""
        self.sealed: list[Block] = []
        """The finished top-level blocks, in order; this list only grows."""
        self.tail: list[Block] = []
        """The open top-level blocks, parsed again on each append (usually one)."""
        self.preview = ""
        """Text shown after the document without being part of it (`append`)."""
        self.closed = False
        self._tail_start = 0  # where the open tail starts in `source`
        self._tail_head = ""  # the opening line of a fence sealed in part, else ""
        self._continued = False  # the tail continues a paragraph sealed in part
        if text:
            self.append(text)

    @property
    def blocks(self) -> list[Block]:
        """Every top-level block: the sealed ones, then the open ones."""
        return self.sealed + self.tail

    def append(self, text: str, preview: str = "") -> None:
        """Add `text` to the end, and show `preview` after it until the next append.

        `preview` is held-back text with its markup closed (see `MarkdownSettler.preview`);
        it is parsed with the tail but never sealed.

        Raises:
            RuntimeError: The document is closed.
        """
        if self.closed:
            raise RuntimeError("Can't append to a closed MarkdownDocument.")
        self.source += text
        self.preview = preview
        self._parse_tail()

    def close(self) -> None:
        """End the document: drop the preview and seal every block."""
        if not self.closed:
            self.preview = ""
            self._parse_tail()
            for block in self.tail:
                block.stable = True
            self.sealed.extend(self.tail)
            self.tail = []
            self._tail_start = len(self.source)
            self.closed = True

    def _parse_tail(self) -> None:
        head = self._tail_head
        text = head + self.source[self._tail_start :]
        real_lines = text.count("\n")  # lines of real text before its last, open one
        found = list(top_level(parser().parse(text + self.preview)))
        if (head or self._continued) and found:
            found[0][0].joined_above = True
        keep = len(found)
        while keep > 1 and found[keep - 1][1][0] > real_lines:
            keep -= 1  # a block only the preview makes: it stays in the tail
        done = keep - 1
        if done > 0:
            for block, _ in found[:done]:
                block.stable = True
                self.sealed.append(block)
            first_line = found[done][1][0]
            self._tail_start += _line_offset(text, first_line) - len(head)
            self._tail_head = ""
            self._continued = False
            head = ""
        self.tail = [block for block, _ in found[done:]]
        last = self.tail[-1] if self.tail else None
        if last is not None and len(self.tail) == 1:
            if last.kind == "fence":
                self._seal_fence_piece(last, head)
            elif last.kind == "paragraph" and not head and not self.preview:
                self._seal_paragraph_piece(last)

    def _seal_paragraph_piece(self, paragraph: Block) -> None:
        """Seal the front of an open top-level paragraph that has grown past two pieces.

        The cut is made at a space in the source where the front, parsed alone, is the
        same text with the same spans as the whole paragraph up to there (no emphasis,
        code or link runs across it), and the rest starts with a letter (so it cannot
        start a list or a heading). The pieces are painted as one paragraph.
        """
        size = self.PARAGRAPH_PIECE_CHARS
        whole = paragraph.inline
        if len(whole.plain) < 2 * size:
            return
        text = self.source[self._tail_start :]
        cut = len(text) - size
        for _ in range(8):
            cut = text.rfind(" ", 0, cut)
            if cut <= 0:
                return
            if text[cut + 1 : cut + 2].isalpha() and not text[cut - 1].isspace():
                found = list(top_level(parser().parse(text[:cut])))
                if len(found) == 1 and found[0][0].kind == "paragraph":
                    front = found[0][0].inline
                    n = len(front.plain)
                    before = [span for span in whole.spans if span.start < n]
                    if (
                        whole.plain[:n] == front.plain
                        and whole.plain[n : n + 1] == " "
                        and before == list(front.spans)
                        and all(span.end <= n for span in before)
                    ):
                        piece = Block(
                            "paragraph",
                            inline=front,
                            stable=True,
                            joined_above=paragraph.joined_above,
                            joined_below=True,
                        )
                        self.sealed.append(piece)
                        self._tail_start += cut + 1
                        self._continued = True
                        rest_plain = whole.plain[n + 1 :]
                        rest_spans = tuple(
                            InlineSpan(s.start - n - 1, s.end - n - 1, s.kind, s.href)
                            for s in whole.spans
                            if s.start >= n
                        )
                        paragraph.inline = Inline(rest_plain, rest_spans)
                        paragraph.joined_above = True
                        return

    def _seal_fence_piece(self, fence: Block, head: str) -> None:
        """Seal the front of an open top-level fence that has grown past two pieces."""
        keep = self.FENCE_PIECE_LINES
        code = fence.code.split("\n")
        if len(code) < 2 * keep:
            return
        tail = self.source[self._tail_start :]
        opening = head or tail[: tail.index("\n") + 1]
        if not opening.lstrip().startswith(("```", "~~~")):
            return  # an indented code block: no opening line to carry on with
        cut = len(code) - keep
        body_start = 0 if head else len(opening)
        offset = body_start + _line_offset(tail[body_start:], cut)
        piece = Block(
            "fence",
            code="\n".join(code[:cut]),
            info=fence.info,
            stable=True,
            joined_above=fence.joined_above,
            joined_below=True,
        )
        self.sealed.append(piece)
        self._tail_start += offset
        self._tail_head = opening
        fence.code = "\n".join(code[cut:])
        fence.joined_above = True
