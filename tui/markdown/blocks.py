"""The vocabulary of a parsed Markdown document: blocks and their inline text.

A `Block` is one Markdown block (a heading, a paragraph, a fence, a list, a list item,
a block quote, a table, a rule) with the inline text or the children it holds. Blocks
are plain data: `tui.widgets.transcript` paints them, `tui.markdown.document` makes them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Block", "BlockKind", "Inline", "InlineSpan", "SpanKind"]

SpanKind = Literal["em", "strong", "code", "s", "link"]
"""What an inline span marks: emphasis, strong, inline code, strikethrough or a link."""

BlockKind = Literal[
    "heading", "paragraph", "fence", "bullet_list", "ordered_list", "item", "quote", "table", "hr"
]
"""What a block is."""

_ids = itertools.count(1)


@dataclass(frozen=True)
class InlineSpan:
    """A run of inline text, `plain[start:end]`, marked as `kind` (a link has its `href`)."""

    start: int
    end: int
    kind: SpanKind
    href: str = ""


@dataclass(frozen=True)
class Inline:
    """Inline text: its characters and the spans that style them.

    Example:
        >>> Inline("a b", (InlineSpan(2, 3, "strong"),)).plain
        'a b'
    """

    plain: str = ""
    spans: tuple[InlineSpan, ...] = ()


@dataclass(eq=False)
class Block:
    """One block of a Markdown document.

    Example:
        >>> Block("paragraph", inline=Inline("Hi")).kind
        'paragraph'
    """

    kind: BlockKind
    inline: Inline = field(default_factory=Inline)
    """The text of a heading or a paragraph."""
    code: str = ""
    """The code of a fence, its trailing whitespace removed."""
    info: str = ""
    """A fence's language."""
    level: int = 0
    """A heading's level, 1 to 6."""
    bullet: str = ""
    """A list item's bullet or number, as shown."""
    children: list[Block] = field(default_factory=list)
    """The blocks a list, item or quote holds."""
    rows: list[list[Inline]] = field(default_factory=list)
    """A table's rows, its header first."""
    stable: bool = False
    """Whether the block is sealed: finished, and never parsed again."""
    joined_above: bool = False
    """A piece of a fence that continues the piece above it (no top padding)."""
    joined_below: bool = False
    """A piece of a fence continued by the piece below it (no bottom padding)."""
    uid: int = field(default_factory=lambda: next(_ids))
    """Unique among all blocks of the process: the key its painted lines are cached by."""

    @property
    def text(self) -> str:
        """Its plain text: the inline text, the code, or its children's, one per line."""
        if self.kind == "fence":
            return self.code
        if self.kind == "table":
            return "\n".join(" ".join(cell.plain for cell in row) for row in self.rows)
        if self.children:
            return "\n".join(child.text for child in self.children)
        return self.inline.plain
