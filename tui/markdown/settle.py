"""How much of a growing Markdown text can be shown without flashing raw syntax.

A typewriter that reveals `**bol` shows two stars that vanish a moment later, when the
closing `**` arrives. `MarkdownSettler` holds back such a tail: an unclosed inline code
span, emphasis or strikethrough on the last line, a fence line still being typed, and a
table header whose delimiter row has not arrived. Everything else shows at once.
Text is only ever held, never changed, so what is shown is always a prefix.

Held inline markup need not stall the display: `preview` is the held text with its open
markers closed (`**bol**`), to be shown after the prefix until the real text settles.
"""

from __future__ import annotations

import re

__all__ = ["MarkdownSettler"]

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_FENCE_IN_PROGRESS = re.compile(r" {0,3}(`{1,2}|~{1,2}|(`{3,}|~{3,})[^`]*)")
_TABLE_DELIMITER = re.compile(r" {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*")
_LEADING = re.compile(r"\s*")
_ROW = re.compile(r"\s*\|")
"""The start of a table row (the test is a match, so that a long line is not copied)."""
_MARKERS = re.compile(r"`+|\*+|~~+|~$")
_BARE_BLOCK_MARKER = re.compile(r"\s*([*+-]|\d{1,9}[.)]|#{1,6}|=+|-+)?\s*")
"""A line holding only the start of a block (a bullet, a heading, a setext underline),
which renders as text, or turns the line above into a heading, until more arrives."""


class MarkdownSettler:
    """Track a growing Markdown text and say how long a prefix of it is safe to show.

    Each call costs time in proportion to the new text and the last two lines, not the
    whole document.

    Example:
        >>> settler = MarkdownSettler()
        >>> settler.feed("Some **bo")
        5
        >>> settler.feed("ld** text")
        18
    """

    def __init__(self) -> None:
        self._length = 0
        self._shown = 0  # text once shown can't be taken back, so this never shrinks
        self._in_fence: str | None = None  # the fence that opened the current code block
        self._previous = ""  # the last complete line
        self._in_table = False  # the last complete line belongs to a table
        self._tail = ""  # the incomplete last line
        self._scan = _MarkerScan()  # the inline markers of the tail, scanned so far
        self._inline_hold = False  # what is held is inline markup still open on the tail

    def feed(self, text: str) -> int:
        """Add newly revealed text; return how many characters in all are safe to show."""
        self._length += len(text)
        if "\n" in text:
            *complete, self._tail = (self._tail + text).split("\n")
            for line in complete:
                self._close_line(line)
            self._scan = _MarkerScan()
        else:  # the same line goes on: no split of a long line per chunk
            self._tail += text
        self._shown = max(self._shown, self._length - self._held())
        return self._shown

    def flush(self) -> int:
        """The stream has ended: everything is safe to show."""
        self._shown = self._length
        return self._length

    def preview(self) -> str:
        """The held text as it can be shown for now, after the safe prefix: with its open
        emphasis, strikethrough or code span closed, and no marker still being typed at
        its end. Empty when nothing is held, or what is held can't show yet (a fence or
        table line, a bare list marker). Never holds a newline.

        Example:
            >>> settler = MarkdownSettler()
            >>> settler.feed("Some **bol")
            5
            >>> settler.preview()
            '**bol**'
        """
        held = self._length - self._shown
        if not held or not self._inline_hold:
            return ""
        tail = self._tail
        return self._scan.closed(tail, len(tail) - held)

    def _close_line(self, line: str) -> None:
        is_row = bool(_ROW.match(line))
        self._in_table = is_row and (self._in_table or _is_delimiter(line))
        fence = _FENCE.match(line)
        if fence:
            marker = fence.group(1)
            if self._in_fence is None:
                self._in_fence = marker
            elif (
                marker[0] == self._in_fence[0]
                and len(marker) >= len(self._in_fence)
                and not line[fence.end() :].strip()
            ):
                self._in_fence = None
        self._previous = line

    def _held(self) -> int:
        """How many characters at the end must wait for more text."""
        self._inline_hold = False
        tail = self._tail
        if _FENCE_IN_PROGRESS.fullmatch(tail):
            return len(tail)
        if self._in_fence is not None:
            return 0
        header_waiting = bool(_ROW.match(self._previous)) and not self._in_table
        if _ROW.match(tail):  # a row, or a delimiter row, still being typed
            return len(tail) + (len(self._previous) + 1 if header_waiting else 0)
        if header_waiting and not tail:  # a table header whose delimiter row has not begun
            return len(self._previous) + 1
        if _BARE_BLOCK_MARKER.fullmatch(tail):
            return len(tail)
        self._inline_hold = True
        return len(tail) - self._scan.unclosed(tail)

    def __repr__(self) -> str:
        return f"MarkdownSettler(length={self._length}, in_fence={self._in_fence!r})"


def _is_delimiter(line: str) -> bool:
    """Whether `line` is a table's delimiter row, such as `|---|:--:|`."""
    return bool(_TABLE_DELIMITER.fullmatch(line))


class _MarkerScan:
    """The inline markers of one growing line, scanned once each: a marker run is final
    once a character follows it, so a later call starts after the last final run."""

    def __init__(self) -> None:
        self.position = 0
        self.open_at: dict[str, int] = {}
        self.code: str | None = None

    def unclosed(self, line: str) -> int:
        """The index of the first inline marker on `line` that is still open, or `len(line)`."""
        open_at, code = dict(self.open_at), self.code
        unscanned = len(line)  # where a marker run still being typed at the end starts
        for match in _MARKERS.finditer(line, self.position):
            code = _step(line, match, open_at, code)
            if match.end() < len(line):
                self.open_at, self.code = dict(open_at), code
            else:
                unscanned = match.start()
        self.position = unscanned  # no marker before it is left to scan: a long line costs
        return min(open_at.values(), default=len(line))  # what is new, not all of it again

    def closed(self, line: str, start: int) -> str:
        """`line` from `start`, where its first open marker is, with its markers closed;
        or "" if there is nothing to show but markers.

        Call after `unclosed(line)`: the scan then covers every final marker run, and
        only a run still being typed at the end of `line` is left; it is dropped here.
        """
        trailing = next(_MARKERS.finditer(line, self.position), None)
        end = trailing.start() if trailing and trailing.end() == len(line) else len(line)
        body = line[start:end].rstrip()
        if start != min(self.open_at.values(), default=-1) or not body.strip("*`~"):
            return ""
        return body + "".join(sorted(self.open_at, key=self.open_at.__getitem__, reverse=True))


def _step(line: str, match: re.Match[str], open_at: dict[str, int], code: str | None) -> str | None:
    """Take one marker run into `open_at`; return the code span still open, if any."""
    run = match.group()
    if code is not None:
        if run == code:
            del open_at[code]
            return None
        return code
    if run[0] == "`":
        open_at[run] = match.start()
        return run
    after = line[match.end() : match.end() + 1]
    bullet = run == "*" and match.start() == _LEADING.match(line).end()  # type: ignore[union-attr]
    if run in open_at:
        del open_at[run]
    elif after != " " and not bullet:
        open_at[run] = match.start()
    return None
