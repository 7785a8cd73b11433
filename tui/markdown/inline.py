"""Inline Markdown, from markdown-it's `inline` token to `Inline` text and spans.

It reads the token as Textual's `Markdown` does, so that the text is the same: runs of
whitespace become one space, a soft break a space, a hard break a new line, and an image
its alt text behind a picture sign.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from tui.markdown.blocks import Inline, InlineSpan, SpanKind

__all__ = ["inline_from_token"]

_SPACE = re.compile(r"\s+")
_OPENERS: dict[str, SpanKind] = {"em_open": "em", "strong_open": "strong", "s_open": "s"}


def inline_from_token(token: Token) -> Inline:
    """The text and spans of an `inline` token.

    Example:
        >>> from markdown_it import MarkdownIt
        >>> tokens = MarkdownIt("gfm-like").parse("a **b**")
        >>> inline_from_token(tokens[1])
        Inline(plain='a b', spans=(InlineSpan(start=2, end=3, kind='strong', href=''),))
    """
    pieces: list[str] = []
    spans: list[InlineSpan] = []
    stack: list[tuple[SpanKind, int, str]] = []
    position = 0

    def add(text: str) -> None:
        nonlocal position
        pieces.append(text)
        position += len(text)

    for child in token.children or ():
        kind = child.type
        if kind == "text":
            add(_SPACE.sub(" ", child.content))
        elif kind == "hardbreak":
            add("\n")
        elif kind == "softbreak":
            add(" ")
        elif kind == "code_inline":
            start = position
            add(child.content)
            spans.append(InlineSpan(start, position, "code"))
        elif kind in _OPENERS:
            stack.append((_OPENERS[kind], position, ""))
        elif kind == "link_open":
            stack.append(("link", position, str(child.attrs.get("href", ""))))
        elif kind == "image":
            start = position
            add("🖼  ")
            alt = str(child.attrs.get("alt", ""))
            if alt:
                add(f"({alt})")
            for grandchild in child.children or ():
                add(grandchild.content)
            spans.append(InlineSpan(start, position, "link", str(child.attrs.get("src", ""))))
        elif kind.endswith("_close") and stack:
            span_kind, start, href = stack.pop()
            spans.append(InlineSpan(start, position, span_kind, href))
    return Inline("".join(pieces), tuple(spans))
