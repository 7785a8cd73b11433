"""The `st.write` table for the terminal: which widget shows which object.

| object                                          | widget                          |
|-------------------------------------------------|---------------------------------|
| `str`                                           | Markdown                        |
| DataFrame, Series, numpy array, other frames    | `FrameTable`                    |
| dict, list, tuple, pydantic model, dataclass    | a JSON view (a Python repr when |
|                                                 | the object is not JSON-able)    |
| an exception                                    | an error panel with traceback   |
| a Textual widget or a Rich renderable           | itself                          |
| anything else                                   | inline code of its `str()`      |

Text is never read as Rich markup, and control characters are made visible. Text longer
than the display limit (`tui.widgets.transcript.display_limit`) is cut there, with a notice; nested
data is bounded in depth and length (`tui.stream.bounds`), and a frame shows at most
`MAX_COLUMNS` columns. `prepare` runs the object's own code, and may run on a thread;
`build` makes the widget on the event loop.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from rich.highlighter import JSONHighlighter
from rich.pretty import pretty_repr
from rich.text import Text
from rich.traceback import Trace, Traceback
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from tui.stream.bounds import MAX_DEPTH, bounded
from tui.text import describe, printable, printable_json, printable_markdown
from tui.widgets.transcript.display_limit import TruncationNotice, clip
from tui.widgets.transcript.frame_table import FrameTable, as_frame, shape_caption
from tui.widgets.transcript.markdown_lines import MarkdownLines

__all__ = ["MAX_COLUMNS", "Prepared", "build", "is_frame_like", "prepare", "render"]

MAX_COLUMNS = 200
"""Columns of a frame shown; the rest are counted in a line under the table."""
_FRAME_MODULES = {"pandas", "numpy"}
_FRAME_TYPES = {"DataFrame", "Series", "Index", "ndarray", "Styler"}


def is_frame_like(obj: object) -> bool:
    """Whether `obj` is shown as a table: pandas and numpy objects, or anything with
    `to_pandas()` (polars, pyarrow), recognised without importing any of them."""
    cls = type(obj)
    if cls.__module__.split(".")[0] in _FRAME_MODULES and cls.__name__ in _FRAME_TYPES:
        return True
    return callable(getattr(obj, "to_pandas", None)) and not isinstance(obj, type)


def _to_frame(obj: Any) -> Any:
    if type(obj).__name__ == "Styler":
        obj = obj.data
    elif not type(obj).__module__.startswith(("pandas", "numpy")):
        obj = obj.to_pandas()
    return as_frame(obj)


def _jsonable(obj: object) -> object | None:
    """`obj` as plain JSON data, or `None` when it has no JSON form."""
    if callable(getattr(obj, "model_dump", None)) and not isinstance(obj, type):
        return obj.model_dump(mode="json")  # type: ignore[attr-defined]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if isinstance(obj, dict | list | tuple):
        return obj
    return None


@dataclass(frozen=True)
class Prepared:
    """What `prepare` found out about an object: everything `build` shows, computed.

    `kind` is one of "widget", "markdown", "error", "frame", "json", "pretty" and
    "inline"; `shown` is what is shown (the widget, the text, the traceback or the frame)
    and `hidden` how many characters (for "frame", columns) were cut.
    """

    kind: str
    shown: Any
    hidden: int = 0


def prepare(obj: object) -> Prepared:
    """Do the part of showing `obj` that runs its own code (`repr`, `str`, `model_dump`,
    `to_pandas`) and that can take long: safe on any thread, and bounded in size.

    Example:
        >>> prepare({"big": 10**5000}).shown.splitlines()[1]
        '  "big": "<int of 5,001 digits>"'
    """
    if isinstance(obj, Widget) or hasattr(obj, "__rich_console__") or hasattr(obj, "__rich__"):
        return Prepared("widget", obj)
    if isinstance(obj, str):
        shown, hidden = clip(obj)
        return Prepared("markdown", printable_markdown(shown), hidden)
    if isinstance(obj, BaseException):
        return Prepared("error", _trace(obj))
    if is_frame_like(obj):
        frame = _to_frame(obj)
        hidden = max(frame.shape[1] - MAX_COLUMNS, 0)
        return Prepared("frame", frame.iloc[:, :MAX_COLUMNS] if hidden else frame, hidden)
    data = _jsonable(obj)
    if data is not None:
        data = bounded(data)
        try:
            text = printable_json(json.dumps(data, indent=2, default=describe, ensure_ascii=False))
        except (TypeError, ValueError, RecursionError):  # circular, or keys JSON cannot hold
            text = printable_markdown(pretty_repr(data, max_depth=MAX_DEPTH))
            shown, hidden = clip(text)
            return Prepared("pretty", shown, hidden)
        shown, hidden = clip(text)
        return Prepared("json", shown, hidden)
    shown, hidden = clip(describe(bounded(obj)) if isinstance(obj, int) else describe(obj))
    return Prepared("inline", printable(shown), hidden)


def build(prepared: Prepared) -> Widget:
    """Build the widget that shows a prepared object; cheap, for the event loop."""
    shown, hidden = prepared.shown, prepared.hidden
    match prepared.kind:
        case "widget":
            return shown if isinstance(shown, Widget) else Static(shown)
        case "markdown":
            return _noting(MarkdownLines(shown, classes="written"), hidden)
        case "error":
            return Static(Traceback(shown), classes="error-panel")
        case "frame":
            table = FrameTable(shown)
            if not hidden:
                return table
            rows, columns = shown.shape
            table.border_subtitle = f"{shape_caption(rows, columns + hidden)}, {columns:,} shown"
            note = Static(Text(f"… {hidden:,} more columns not shown"), classes="frame-note")
            box = Vertical(table, note, classes="truncated")
            box.styles.height = "auto"
            return box
        case "json":
            # Highlighted as it is: `rich.json.JSON` would parse and dump it again, undoing
            # the escapes.
            highlighted = _JSON_HIGHLIGHTER(Text(shown, no_wrap=True, overflow="ignore"))
            return _noting(Static(highlighted, classes="json"), hidden)
        case "pretty":
            return _noting(Static(Text(shown, no_wrap=True), classes="json"), hidden)
    return _noting(Static(Text(shown), classes="inline-code"), hidden)


def render(obj: object) -> Widget:
    """Build the widget that shows `obj` the way `st.write` would, on this thread.

    Example:
        >>> type(render({"a": 1})).__name__
        'Static'
    """
    return build(prepare(obj))


_JSON_HIGHLIGHTER = JSONHighlighter()


def _trace(error: BaseException) -> Trace:
    """A Rich traceback's data, whose messages show their control characters."""
    trace = Traceback.extract(type(error), error, error.__traceback__)
    for stack in trace.stacks:
        stack.exc_value = printable_markdown(stack.exc_value)
    return trace


def _noting(widget: Widget, hidden: int) -> Widget:
    """`widget`, followed by a truncation notice when `hidden` characters were cut."""
    if not hidden:
        return widget
    box = Vertical(widget, TruncationNotice(hidden), classes="truncated")
    box.styles.height = "auto"
    return box
