"""One print-mode turn: the prompt joined with piped input."""

from __future__ import annotations

from typing import TextIO

__all__ = ["read_piped", "with_piped_input"]


def with_piped_input(prompt: str, stdin: TextIO | None) -> str:
    """The prompt, then a blank line, then what was piped to stdin, if anything was.

    A terminal is never read, so `inkstream -p ...` typed at a shell doesn't wait for input.

    Example:
        >>> import io
        >>> with_piped_input("Summarise this", io.StringIO("notes\\n"))
        'Summarise this\\n\\nnotes\\n'
        >>> with_piped_input("Summarise this", io.StringIO(""))
        'Summarise this'
    """
    piped = read_piped(stdin)
    return f"{prompt}\n\n{piped}" if piped else prompt


def read_piped(stdin: TextIO | None) -> str:
    """All of stdin when it is a pipe or a file; "" for a terminal, or none at all."""
    if stdin is None:
        return ""
    try:
        return "" if stdin.isatty() else stdin.read()
    except (OSError, ValueError):  # closed (`<&-`), or a stand-in that can't be read
        return ""
