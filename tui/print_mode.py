"""Print mode: stream one answer to stdout, for scripts and pipes (`inkstream -p PROMPT`)."""

from __future__ import annotations

import json
import sys
import traceback
from typing import TextIO

from tui.backends import Backend, Message, Settings, call_backend, describe_error
from tui.say import say
from tui.stream import PartKind, Response, aiterate, open_source
from tui.text import describe, printable_markdown

__all__ = ["plain_text", "print_answer"]


def plain_text(obj: object) -> str:
    """An object as plain text: frames as pandas prints them, data as JSON, errors with
    their traceback, anything else as `str()` (or `repr()`, or a placeholder)."""
    if isinstance(obj, BaseException):
        return "".join(traceback.format_exception(obj)).rstrip()
    if callable(getattr(obj, "to_string", None)) and hasattr(obj, "shape"):
        return obj.to_string()  # type: ignore[attr-defined]
    if isinstance(obj, dict | list | tuple):
        try:
            return json.dumps(obj, indent=2, default=str, ensure_ascii=False)
        except (TypeError, ValueError):
            pass
    return describe(obj)


class _PlainWriter:
    """For pipes: text exactly as it arrives, objects as plain text on lines of their own."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.at_line_start = True

    def text(self, text: str) -> None:
        self._write(text)

    def object(self, obj: object) -> None:
        self._write(("" if self.at_line_start else "\n") + plain_text(obj) + "\n")

    def close(self) -> None:
        if not self.at_line_start:
            self._write("\n")

    def _write(self, text: str) -> None:
        if text:
            self.out.write(text)
            self.out.flush()
            self.at_line_start = text.endswith("\n")


class _TerminalWriter:
    """For a terminal: Markdown rendered live with Rich. Finished blocks are printed for
    good; only the block being written is redrawn. Control characters are made visible."""

    def __init__(self, out: TextIO) -> None:
        from rich.console import Console
        from rich.live import Live

        self.console = Console(file=out)
        self.live = Live(console=self.console, refresh_per_second=12, vertical_overflow="visible")
        self.live.start()
        self.pending = ""

    def text(self, text: str) -> None:
        from rich.markdown import Markdown

        self.pending += printable_markdown(text)
        cut = _last_block_end(self.pending)
        if cut:
            self.console.print(Markdown(self.pending[:cut]))
            self.pending = self.pending[cut:]
        self.live.update(Markdown(self.pending))

    def object(self, obj: object) -> None:
        from rich.text import Text

        self._finish_text()
        self.console.print(Text(printable_markdown(plain_text(obj))))

    def close(self) -> None:
        self._finish_text()
        self.live.stop()

    def _finish_text(self) -> None:
        from rich.markdown import Markdown
        from rich.text import Text

        if self.pending.strip():
            self.console.print(Markdown(self.pending))
        self.pending = ""
        self.live.update(Text(""))


def _last_block_end(text: str) -> int:
    """Where the last finished Markdown block of `text` ends: after its last blank line
    outside a code fence, or 0 when no block is finished yet."""
    end = text.rfind("\n\n")
    while end > 0:
        fences = sum(1 for line in text[:end].split("\n") if line.lstrip().startswith("```"))
        if fences % 2 == 0:
            return end + 2
        end = text.rfind("\n\n", 0, end)
    return 0


async def print_answer(
    backend: Backend,
    messages: list[Message],
    settings: Settings | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Stream the backend's answer to `out` as it arrives; return the exit code.

    Piped, text is written exactly as it comes and objects as plain text (tables as
    pandas prints them). On a terminal, Markdown is rendered live with Rich and control
    characters are made visible. A failure keeps what was written, says why on `err` in
    one neutralised line (`tui.say`), and returns 1.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    writer = _TerminalWriter(out) if out.isatty() else _PlainWriter(out)
    response = Response()
    failure: str | None = None
    try:
        stream = await call_backend(backend, messages, settings)
        async for chunk in aiterate(open_source(stream)):
            for part in response.feed(chunk):
                if part.kind is PartKind.TEXT:
                    writer.text(part.value)
                elif part.kind is PartKind.OBJECT:
                    writer.object(part.value)
    except Exception as error:
        failure = describe_error(error)
    finally:  # Ctrl+C and a cancel too: print what arrived, and show the cursor again
        writer.close()
    if failure is not None:
        say(f"inkstream: {failure}", err)
        return 1
    return 0
