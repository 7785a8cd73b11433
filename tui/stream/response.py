"""Build the full response of a stream with Streamlit's rules, plus a record of the turn."""

from __future__ import annotations

from typing import Any

from tui.stream.chunks import Part, PartKind, adapt

__all__ = ["Response"]


class Response:
    """The full response of one stream, built chunk by chunk.

    The rules are `st.write_stream`'s: empty strings are skipped, a run of text is one
    string, a callable chunk is called and not kept and ends the run of text before it
    (Streamlit flushes the text there, so `["a", fn, "b"]` gives `["a", "b"]`), and the
    value is `""` when nothing was written, the string itself when there is exactly one
    string, and a list in stream order otherwise. Reasoning and tool-call parts are kept
    apart, in `reasoning` and `tool_calls`, so that a UI or a history can show them
    without them entering `value`.

    Pass one in to `collect` to keep what arrived before a failure.

    Example:
        >>> response = Response()
        >>> for chunk in ["Hello", ", ", "world", 42, "!"]:
        ...     _ = response.feed(chunk)
        >>> response.value
        ['Hello, world', 42, '!']
        >>> _ = response.feed(print)  # called with no arguments: prints a blank line
        <BLANKLINE>
        >>> _ = response.feed("?")
        >>> response.value
        ['Hello, world', 42, '!', '?']
    """

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._run: list[str] = []
        self._reasoning: list[str] = []
        self.tool_calls: list[Any] = []
        """Every tool-call delta, in arrival order."""

    def feed(self, chunk: object) -> list[Part]:
        """Adapt one raw chunk, record its parts, and return them (none for an empty one)."""
        parts = adapt(chunk)
        for part in parts:
            self.add(part)
        return parts

    def add(self, part: Part) -> None:
        """Record one adapted part. A `CALL` part ends the text run and is called here."""
        match part.kind:
            case PartKind.TEXT:
                self._run.append(part.value)
            case PartKind.OBJECT:
                self._close_run()
                self._items.append(part.value)
            case PartKind.REASONING:
                self._reasoning.append(part.value)
            case PartKind.TOOL_CALL:
                self.tool_calls.append(part.value)
            case PartKind.CALL:
                self._close_run()
                part.value()

    def _close_run(self) -> None:
        if self._run:
            self._items.append("".join(self._run))
            self._run.clear()

    @property
    def items(self) -> list[Any]:
        """Everything written so far, in order, with each run of text merged into one string."""
        return [*self._items, "".join(self._run)] if self._run else list(self._items)

    @property
    def value(self) -> str | list[Any]:
        """The return value of `write_stream`: a `str` for pure text, else a list."""
        items = self.items
        if not items:
            return ""
        if len(items) == 1 and isinstance(items[0], str):
            return items[0]
        return items

    @property
    def reasoning(self) -> str:
        """All reasoning text, joined."""
        return "".join(self._reasoning)

    def __repr__(self) -> str:
        return f"Response(value={self.value!r})"
