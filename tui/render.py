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
than the display limit (`tui.widgets.display_limit`) is cut there, with a notice.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from rich.highlighter import JSONHighlighter
from rich.text import Text
from rich.traceback import Traceback
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Pretty, Static

from tui.text import describe, printable, printable_json, printable_markdown
from tui.widgets.display_limit import TruncationNotice, clip
from tui.widgets.frame_table import FrameTable, as_frame
from tui.widgets.transcript import MarkdownLines

__all__ = ["is_frame_like", "render"]

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


def render(obj: object) -> Widget:
    """Build the widget that shows `obj` the way `st.write` would.

    Example:
        >>> type(render({"a": 1})).__name__
        'Static'
    """
    if isinstance(obj, Widget):
        return obj
    if isinstance(obj, str):
        shown, hidden = clip(obj)
        return _noting(MarkdownLines(printable_markdown(shown), classes="written"), hidden)
    if isinstance(obj, BaseException):
        return Static(_traceback(obj), classes="error-panel")
    if is_frame_like(obj):
        return FrameTable(_to_frame(obj))
    data = _jsonable(obj)
    if data is not None:
        try:
            text = printable_json(json.dumps(data, indent=2, default=describe, ensure_ascii=False))
        except (TypeError, ValueError):  # circular, or keys JSON cannot hold
            return Pretty(obj, classes="json")
        shown, hidden = clip(text)
        # Highlighted as it is: `rich.json.JSON` would parse and dump it again, undoing
        # the escapes.
        highlighted = _JSON_HIGHLIGHTER(Text(shown, no_wrap=True, overflow="ignore"))
        return _noting(Static(highlighted, classes="json"), hidden)
    if hasattr(obj, "__rich_console__") or hasattr(obj, "__rich__"):
        return Static(obj)  # type: ignore[arg-type]
    shown, hidden = clip(describe(obj))
    return _noting(Static(Text(printable(shown)), classes="inline-code"), hidden)


_JSON_HIGHLIGHTER = JSONHighlighter()


def _traceback(error: BaseException) -> Traceback:
    """A Rich traceback whose messages show their control characters, not drop them."""
    trace = Traceback.extract(type(error), error, error.__traceback__)
    for stack in trace.stacks:
        stack.exc_value = printable_markdown(stack.exc_value)
    return Traceback(trace)


def _noting(widget: Widget, hidden: int) -> Widget:
    """`widget`, followed by a truncation notice when `hidden` characters were cut."""
    if not hidden:
        return widget
    box = Vertical(widget, TruncationNotice(hidden), classes="truncated")
    box.styles.height = "auto"
    return box
