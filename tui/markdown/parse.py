"""markdown-it tokens to `Block`s, as Textual's `Markdown` reads them.

One parser, made once: `parser()`. `top_level` splits a token list into its top-level
blocks, each with the lines of the source it came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from tui.markdown.blocks import Block, BlockKind, Inline
from tui.markdown.inline import inline_from_token

__all__ = ["BULLETS", "parser", "top_level"]

BULLETS = ("• ", "▪ ", "‣ ", "⭑ ", "◦ ")
"""Bullets of unordered lists by depth, as Textual's `Markdown.BULLETS`."""

_OPENING: dict[str, BlockKind] = {
    "heading_open": "heading",
    "paragraph_open": "paragraph",
    "blockquote_open": "quote",
    "bullet_list_open": "bullet_list",
    "ordered_list_open": "ordered_list",
    "list_item_open": "item",
    "table_open": "table",
}


@cache
def parser() -> MarkdownIt:
    """The one Markdown parser: GitHub-flavoured, as Textual's `Markdown` uses."""
    return MarkdownIt("gfm-like")


def _number_items(block: Block) -> None:
    """Give an ordered list's items their numbers, right-aligned as Textual shows them."""
    items = [child for child in block.children if child.kind == "item"]
    try:
        start = int(items[0].bullet) if items else 1
    except ValueError:
        start = 1
    width = max((len(f"{n}. ") for n in range(start, start + len(items))), default=0)
    for number, item in enumerate(items, start):
        item.bullet = f"{number}. ".rjust(width + 1)


def top_level(tokens: list[Token]) -> Iterator[tuple[Block, tuple[int, int]]]:
    """Each top-level block of `tokens` with its `(first, end)` source lines.

    Example:
        >>> [(b.kind, lines) for b, lines in top_level(parser().parse("# A\\n\\nb\\n"))]
        [('heading', (0, 1)), ('paragraph', (2, 3))]
    """
    stack: list[tuple[Block, Token]] = []
    rows: list[list[Inline]] = []  # the table being read: rows of cells
    for token in tokens:
        kind = token.type
        if kind in _OPENING:
            block = Block(_OPENING[kind])
            if kind == "heading_open":
                block.level = int(token.tag[1:])
            elif kind == "list_item_open":
                if token.info:  # an ordered item: numbered when its list closes
                    block.bullet = token.info
                else:
                    depth = sum(1 for b, _ in stack if b.kind == "item" and b.bullet in BULLETS)
                    block.bullet = BULLETS[depth % len(BULLETS)]
            elif kind == "table_open":
                rows = []
            stack.append((block, token))
        elif kind == "tr_open":
            rows.append([])
        elif kind == "inline":
            if stack and stack[-1][0].kind == "table":
                rows[-1].append(inline_from_token(token))
            elif stack:
                stack[-1][0].inline = inline_from_token(token)
        elif kind in ("fence", "code_block"):
            fence = Block("fence", code=token.content.rstrip(), info=token.info.strip())
            if stack:
                stack[-1][0].children.append(fence)
            elif token.map:
                yield fence, (token.map[0], token.map[1])
        elif kind == "hr":
            rule = Block("hr")
            if stack:
                stack[-1][0].children.append(rule)
            elif token.map:
                yield rule, (token.map[0], token.map[1])
        elif kind.endswith("_close") and kind[: -len("_close")] + "_open" in _OPENING:
            block, opening = stack.pop()
            if block.kind == "table":
                block.rows = [row for row in rows if row]
            elif block.kind == "ordered_list":
                _number_items(block)
            if stack:
                stack[-1][0].children.append(block)
            else:
                lines = opening.map or (0, 0)
                yield block, (lines[0], lines[1])
