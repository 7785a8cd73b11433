"""Stored messages as Markdown: text as it is, tables, JSON fences and inline code.

Tables are written here from pandas' own cell formatting (what `print(df)` shows), so no
`tabulate` is needed. Cells are put on one line with their control characters made
visible, and `|` is escaped.
"""

from __future__ import annotations

import json
from typing import Any

from tui.frames import as_frame
from tui.history.parts import StoredObject
from tui.history.records import SessionInfo, StoredMessage
from tui.text import printable

__all__ = [
    "code_span",
    "fenced",
    "item_markdown",
    "markdown_table",
    "message_markdown",
    "session_markdown",
]

_FRAME_TYPES = {"DataFrame", "Series", "Index", "ndarray"}


def fenced(text: str, info: str = "") -> str:
    """`text` in a fenced code block whose fence no line of it can close.

    Example:
        >>> print(fenced('{"a": 1}', "json"))
        ```json
        {"a": 1}
        ```
    """
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{info}\n{text}\n{fence}"


def code_span(text: str) -> str:
    """`text` as inline code, or as a fenced block when it spans lines.

    Example:
        >>> code_span("a `b` c")
        '`` a `b` c ``'
    """
    if "\n" in text:
        return fenced(text)
    fence = "`"
    while fence in text:
        fence += "`"
    padded = f" {text} " if "`" in text else text
    return f"{fence}{padded}{fence}"


def _cell(text: str) -> str:
    return printable(text.strip()).replace("|", "\\|")


def _label(value: object) -> str:
    if isinstance(value, tuple):
        return " / ".join(_label(level) for level in value)
    return "" if value is None else str(value)


def _formatted(values: Any) -> list[str]:
    """One column's cells as pandas would print them."""
    try:
        from pandas.io.formats.format import format_array

        return format_array(values, None)
    except Exception:  # a private API: fall back to plain str()
        return [str(value) for value in values]


def markdown_table(frame: Any, *, max_rows: int = 20) -> str:
    """A DataFrame as a Markdown table of its first `max_rows` rows, with a note if cut.

    The index is shown, one column per level, unless it is the default 0, 1, 2, ….

    Example:
        >>> import pandas as pd
        >>> print(markdown_table(pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y|z", None]}),
        ...       max_rows=2))
        | a | b |
        |--:|---|
        | 1 | x |
        | 2 | y\\|z |
        <BLANKLINE>
        _… 1 more row_
    """
    import pandas as pd

    head = frame.iloc[: max(max_rows, 0)]
    index = frame.index
    default = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    levels = 0 if default and index.name is None else index.nlevels
    headers = [_label(name) for name in index.names[:levels]]
    headers += [_label(column) for column in frame.columns]
    arrays = [head.index.get_level_values(level)._values for level in range(levels)]
    arrays += [head.iloc[:, column]._values for column in range(head.shape[1])]
    numeric = [False] * levels
    numeric += [pd.api.types.is_numeric_dtype(dtype) for dtype in frame.dtypes]
    columns = [_formatted(array) for array in arrays]
    lines = [
        "| " + " | ".join(_cell(header) for header in headers) + " |",
        "|" + "|".join("--:" if right else "---" for right in numeric) + "|",
    ]
    for row in range(head.shape[0]):
        lines.append("| " + " | ".join(_cell(column[row]) for column in columns) + " |")
    hidden = frame.shape[0] - head.shape[0]
    if hidden > 0:
        lines += ["", f"_… {hidden:,} more row{'s' * (hidden != 1)}_"]
    return "\n".join(lines)


def _as_frame(obj: Any) -> Any | None:
    """A DataFrame for a frame-like object that can be shown as a table, else None."""
    cls = type(obj)
    if cls.__module__.split(".")[0] not in ("pandas", "numpy") or cls.__name__ not in _FRAME_TYPES:
        return None
    if cls.__name__ == "ndarray" and obj.ndim == 0:
        return None
    try:
        return as_frame(obj)
    except ValueError:  # more than two dimensions: not a table
        return None


def item_markdown(item: Any, *, max_rows: int) -> str:
    """One item of a response in Markdown."""
    if isinstance(item, str):
        return item
    if isinstance(item, StoredObject):
        return code_span(item.text)
    frame = _as_frame(item)
    if frame is not None:
        return markdown_table(frame, max_rows=max_rows)
    try:
        text = json.dumps(item, indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return code_span(repr(item))
    return fenced(text, "json")


def _blank(item: Any) -> bool:
    return isinstance(item, str) and not item.strip()


def message_markdown(message: StoredMessage, *, max_rows: int = 20) -> str:
    """One message: a heading with its role (and status when not finished), then its body."""
    heading = f"## {message.role.capitalize()}"
    if message.status != "finished":
        heading += f" ({message.status})"
    blocks = [heading]
    if message.reasoning:
        quoted = "\n".join(f"> {line}" for line in message.reasoning.splitlines())
        blocks.append(f"> _Reasoning_\n>\n{quoted}")
    items = [message.value] if isinstance(message.value, str) else message.value
    blocks += [item_markdown(item, max_rows=max_rows) for item in items if not _blank(item)]
    if message.tool_calls:
        blocks.append("_Tool calls_")
        blocks += [item_markdown(call, max_rows=max_rows) for call in message.tool_calls]
    if message.error:
        first, *rest = message.error.splitlines() or [""]
        blocks.append("\n".join([f"> **Error:** {first}", *(f"> {line}" for line in rest)]))
    return "\n\n".join(blocks)


def session_markdown(
    session: SessionInfo,
    messages: list[StoredMessage],
    *,
    max_rows: int = 20,
    other_branches: int = 0,
) -> str:
    """A session's branch: its title, where it came from, how many `other_branches`
    there are (not written here), then each message."""
    source = session.backend + (f" · {session.model}" if session.model else "")
    when = session.created.strftime("%Y-%m-%d %H:%M UTC")
    blocks = [f"# {session.title}", f"_{source} · {when}_"]
    if other_branches:
        plural = "es" * (other_branches != 1)
        blocks.append(
            f"_The active branch; {other_branches} other branch{plural} not written here "
            "(the JSON export keeps them all)._"
        )
    blocks += [message_markdown(message, max_rows=max_rows) for message in messages]
    return "\n\n".join(blocks) + "\n"
