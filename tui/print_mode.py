"""Print mode: stream one answer to stdout, for scripts and pipes (`inkstream -p PROMPT`)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from dataclasses import dataclass
from typing import TextIO

from tui.backends import Backend, Message, Settings, call_backend, describe_error
from tui.backends.progress import Listeners, listening
from tui.stream import PartKind, Response, aiterate, open_source
from tui.text import describe, printable, printable_markdown

__all__ = ["OUTPUT_CLOSED", "Outcome", "plain_text", "print_answer", "stream_answer"]

OUTPUT_CLOSED = 141
"""The exit code when the reader of stdout went away (`| head`): 128 + SIGPIPE, the code a
shell reports for a Unix tool that SIGPIPE ended."""


class OutputClosed(Exception):
    """The reader of the output closed it: there is nobody left to print for."""


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
            try:
                self.out.write(text)
                self.out.flush()
            except BrokenPipeError:
                _discard_the_rest(self.out)
                raise OutputClosed from None
            self.at_line_start = text.endswith("\n")


def _discard_the_rest(out: TextIO) -> None:
    """Point `out`'s file at /dev/null, so that what its buffer still holds is dropped at
    exit instead of failing again there with "Exception ignored ... BrokenPipeError"."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, out.fileno())
        os.close(null)


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


@dataclass
class Outcome:
    """How printing one answer ended."""

    code: int
    """The exit code: 0, 1 for a failure, `OUTPUT_CLOSED` when the reader went away."""
    status: str
    """"finished", "failed", or "stopped" when the reader went away mid-answer."""
    error: str | None = None
    """What failed, for a failed answer: our one line, then the server's reason whole."""


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
    characters are made visible. A failure keeps what was written, says why on `err`
    (neutralised, the server's reason with its lines kept), and returns 1. What the
    backend notices (`tui.backends.progress`) is said on `err` after the answer. When the
    reader closes `out` (`| head -n 1`), the stream is closed and `OUTPUT_CLOSED`
    returned, with nothing said.
    """
    outcome = await stream_answer(backend, messages, settings, out=out, err=err)
    return outcome.code


async def stream_answer(
    backend: Backend,
    messages: list[Message],
    settings: Settings | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    response: Response | None = None,
) -> Outcome:
    """`print_answer`, recording the parts in `response` and saying how it ended."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    writer = _TerminalWriter(out) if out.isatty() else _PlainWriter(out)
    response = Response() if response is None else response
    outcome = Outcome(0, "finished")
    notices: list[str] = []
    try:
        stream = await call_backend(backend, messages, settings)
        with listening(Listeners(lambda reason: None, notices.append)):
            async with contextlib.aclosing(aiterate(open_source(stream))) as chunks:
                async for chunk in chunks:
                    for part in await response.feed_async(chunk):
                        if part.kind is PartKind.TEXT:
                            writer.text(part.value)
                        elif part.kind is PartKind.OBJECT:
                            writer.object(part.value)
    except OutputClosed:
        outcome = Outcome(OUTPUT_CLOSED, "stopped")
    except Exception as error:
        outcome = Outcome(1, "failed", describe_error(error))
    finally:  # Ctrl+C and a cancel too: print what arrived, and show the cursor again
        if outcome.code != OUTPUT_CLOSED:
            try:
                writer.close()
            except OutputClosed:
                outcome = Outcome(OUTPUT_CLOSED, outcome.status, outcome.error)
    for notice in notices if outcome.code != OUTPUT_CLOSED else []:
        err.write(f"inkstream: {printable(notice)}\n")
    if outcome.error is not None:
        # The server's own reason is kept whole, its lines too (tui/text.py makes it safe).
        err.write(f"inkstream: {printable_markdown(outcome.error)}\n")
        err.flush()
    return outcome
