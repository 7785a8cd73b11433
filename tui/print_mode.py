"""Print mode: stream one answer to stdout, for scripts and pipes (`inkstream -p PROMPT`)."""

from __future__ import annotations

import json
import sys
import traceback
from typing import TextIO

from tui.backends import Backend, Message, Settings, call_backend, describe_error
from tui.stream import PartKind, Response, aiterate, open_source
from tui.text import printable_markdown

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
    for convert in (str, repr):
        try:
            return convert(obj)
        except Exception:
            continue
    return f"<unprintable {type(obj).__name__}>"


async def print_answer(
    backend: Backend,
    messages: list[Message],
    settings: Settings | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Stream the backend's answer to `out` as it arrives; return the exit code.

    Text is written as it comes; any other object is written on lines of its own as
    `plain_text` shows it. Control characters are made visible when `out` is a terminal.
    A failure keeps what was written, says why on `err` in one line, and returns 1.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    clean = printable_markdown if out.isatty() else _unchanged
    response = Response()
    ended_with_newline = True
    try:
        stream = await call_backend(backend, messages, settings)
        async for chunk in aiterate(open_source(stream)):
            for part in response.feed(chunk):
                if part.kind is PartKind.TEXT:
                    text = clean(part.value)
                elif part.kind is PartKind.OBJECT:
                    text = (
                        ("" if ended_with_newline else "\n") + clean(plain_text(part.value)) + "\n"
                    )
                else:
                    continue
                out.write(text)
                out.flush()
                ended_with_newline = text.endswith("\n")
    except Exception as error:
        if not ended_with_newline:
            out.write("\n")
        err.write(f"inkstream: {describe_error(error)}\n")
        return 1
    if not ended_with_newline:
        out.write("\n")
    return 0


def _unchanged(text: str) -> str:
    return text
