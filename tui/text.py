"""Make untrusted text safe to show in a terminal.

Text from a stream, a DataFrame cell or an exception may hold escape sequences and other
control characters. Written to the terminal as they are, they could move the cursor,
change colours or set the window title. The functions here replace every such character
with a visible stand-in, so the text shows what it holds and does nothing else.

No Textual or Rich imports here: any module may use this one.
"""

from __future__ import annotations

__all__ = ["describe", "printable", "printable_json", "printable_markdown"]

_ESCAPED = [
    # Line and paragraph separators break lines in some terminals.
    0x2028,
    0x2029,
    # Bidirectional embeddings, overrides and isolates reorder what is shown, so that
    # text can read differently from what it holds ("Trojan Source", CVE-2021-42574).
    # The marks (U+200E, U+200F) that real right-to-left text needs are kept.
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    # Lone surrogates cannot be encoded as UTF-8: written out, they stop the output.
    *range(0xD800, 0xE000),
]


def _table(*, keep_newlines: bool) -> dict[int, str]:
    """Build the `str.translate` table for `printable`."""
    # C0 controls become their Unicode control pictures: ESC → ␛, TAB → ␉, CR → ␍.
    table = {code: chr(0x2400 + code) for code in range(0x20)}
    table[0x0A] = "⏎"
    table[0x7F] = "␡"
    # C1 controls have no pictures; 0x9b alone starts a CSI sequence on some terminals.
    table.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})
    table.update({code: f"\\u{code:04x}" for code in _ESCAPED})
    if keep_newlines:
        del table[0x0A], table[0x09]
    return table


_ONE_LINE = _table(keep_newlines=False)
_MULTI_LINE = _table(keep_newlines=True)
# JSON text already has its C0 controls escaped by `json.dumps`; the rest become JSON's
# own escapes, so the text stays valid JSON.
_JSON = {code: f"\\u{code:04x}" for code in [*range(0x7F, 0xA0), *_ESCAPED]}


def printable(text: str) -> str:
    """Replace control characters with visible stand-ins, on one line.

    A newline becomes "⏎" (a CRLF pair counts as one newline), the other C0 controls
    become their Unicode control pictures ("␛" for ESC, "␉" for a tab), DEL becomes
    "␡", and C1 controls, the Unicode line separators, bidirectional overrides and lone
    surrogates become escapes such as "\\x9b" and "\\u202e".
    Everything else, including wide and combining characters, is kept.

    Args:
        text: Untrusted text.

    Returns:
        The text with no character that a terminal would act on.

    Example:
        >>> printable("\\x1b[31mred\\x1b[0m")
        '␛[31mred␛[0m'
        >>> printable("one\\r\\ntwo\\tthree")
        'one⏎two␉three'
        >>> printable("[/] list[int] 中文")
        '[/] list[int] 中文'
    """
    return text.replace("\r\n", "\n").translate(_ONE_LINE)


def printable_markdown(text: str) -> str:
    """Like `printable`, but keep newlines and tabs, for text that spans lines.

    A CRLF pair becomes a newline; a lone carriage return becomes "␍", so that it can't
    send the cursor back over what was written.

    Args:
        text: Untrusted text, such as Markdown from a stream.

    Returns:
        The text with no character that a terminal would act on, except newlines and tabs.

    Example:
        >>> printable_markdown("# Title\\r\\n\\tcode \\x1b[2J")
        '# Title\\n\\tcode ␛[2J'
    """
    return text.replace("\r\n", "\n").translate(_MULTI_LINE)


def printable_json(text: str) -> str:
    """JSON text whose strings can't carry a character a terminal acts on.

    `json.dumps` escapes C0 controls; DEL, C1 controls, bidirectional overrides and lone
    surrogates are escaped here, as JSON escapes, so the text stays valid JSON.

    Example:
        >>> printable_json('{"a": "\\x9b2J"}')
        '{"a": "\\\\u009b2J"}'
    """
    return text.translate(_JSON)


def describe(obj: object) -> str:
    """`str(obj)`, or its `repr`, or a placeholder naming its type: never raises.

    Example:
        >>> class Broken:
        ...     def __str__(self):
        ...         raise RuntimeError
        ...     __repr__ = __str__
        >>> describe(Broken())
        '<unprintable Broken>'
    """
    for convert in (str, repr):
        try:
            return convert(obj)
        except Exception:
            continue
    return f"<unprintable {type(obj).__name__}>"
