"""Backends that raise Python's own exits, or yield values that used to crash the app."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any


def interrupt(messages: list[dict[str, Any]]) -> Iterator[str]:
    yield "one "
    yield "two "
    yield "three "
    raise KeyboardInterrupt


def exits(messages: list[dict[str, Any]]) -> Iterator[str]:
    yield "one "
    yield "two "
    yield "three "
    sys.exit(0)


async def async_exits(messages: list[dict[str, Any]]) -> AsyncIterator[str]:
    yield "one "
    yield "two "
    yield "three "
    raise SystemExit(3)


def exiting_call(messages: list[dict[str, Any]]) -> Iterator[Any]:
    yield "one two three "
    yield lambda: sys.exit(0)
    yield "never"


class InterruptingRepr:
    def __repr__(self) -> str:
        raise KeyboardInterrupt

    __str__ = __repr__


def interrupting_repr(messages: list[dict[str, Any]]) -> Iterator[Any]:
    yield "one two three "
    yield InterruptingRepr()
    yield " after"


async def interrupted_coroutine(messages: list[dict[str, Any]]) -> Any:
    raise KeyboardInterrupt


class OddReprs:
    """`repr` returns an int and `str` returns bytes: both raise TypeError in Python."""

    def __repr__(self) -> Any:
        return 5

    def __str__(self) -> Any:
        return b"bytes"


def odd_values(messages: list[dict[str, Any]]) -> Iterator[Any]:
    yield "pre "
    yield 10**5000
    yield OddReprs()
    yield {"big": 10**5000}
    yield {"\ud800key": "\x00v", "list": ["\udc80"]}
    yield " post"
