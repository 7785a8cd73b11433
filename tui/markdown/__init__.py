"""Markdown as data, with no Textual, Rich or pandas: the blocks of a growing document.

`MarkdownDocument` parses a text that grows, sealing its finished blocks so that only the
open tail is parsed again; `MarkdownSettler` says how much of a growing text can be shown
without flashing half-written syntax. `tui.widgets.transcript` paints the blocks.

Example:
    >>> from tui.markdown import MarkdownDocument
    >>> [block.kind for block in MarkdownDocument("# Hi\\n\\n- a\\n- b\\n").blocks]
    ['heading', 'bullet_list']
"""

from tui.markdown.blocks import Block, BlockKind, Inline, InlineSpan, SpanKind
from tui.markdown.document import MarkdownDocument
from tui.markdown.settle import MarkdownSettler

__all__ = [
    "Block",
    "BlockKind",
    "Inline",
    "InlineSpan",
    "MarkdownDocument",
    "MarkdownSettler",
    "SpanKind",
]
