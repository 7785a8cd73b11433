"""Bound an object before it is shown, so that no value can freeze or crash the screen.

A stream may yield a list nested 20,000 deep, a dict of a million keys, or `10**5000`,
whose `str()` Python itself refuses. `bounded` returns a copy of plain data cut to what a
screen can show: at most `MAX_DEPTH` levels, `MAX_ITEMS` items per container, and huge
ints as a note of their size. `Unshowable` stands in for an object that could not be
looked at in time. Only the display uses these; the return value and the history keep the
object as it came.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "MAX_ITEMS", "Unshowable", "bounded", "int_text"]

MAX_DEPTH = 40
"""Levels of nesting shown; deeper ones are one "…" line."""
MAX_ITEMS = 1_000
"""Items shown per list, tuple, set or dict; the rest are counted in one line."""
MAX_DIGITS = 4_000
"""Digits of an int shown in full; Python refuses to print more than 4,300 by default."""


class Unshowable:
    """Stands in for an object that could not be looked at: its `repr` hung, or raised.

    Example:
        >>> Unshowable("Slow", "its repr did not return within 2 s")
        <Slow: its repr did not return within 2 s>
    """

    __slots__ = ("reason", "type_name")

    def __init__(self, type_name: str, reason: str) -> None:
        self.type_name = type_name
        self.reason = reason

    def __repr__(self) -> str:
        return f"<{self.type_name}: {self.reason}>"

    __str__ = __repr__


def int_text(number: int) -> str:
    """`str(number)`, or a note of its size when it has more than `MAX_DIGITS` digits.

    Example:
        >>> int_text(12), int_text(10**5000)
        ('12', '<int of 5,001 digits>')
    """
    digits = math.floor(math.log10(abs(number))) + 1 if number else 1  # exact but at 10**k-1
    if digits <= MAX_DIGITS:
        return str(number)
    return f"<int of {digits:,} digits>"


def _more(count: int, what: str) -> str:
    return f"… {count:,} more {what}"


def bounded(obj: Any, depth: int = MAX_DEPTH) -> Any:
    """A copy of `obj` that a screen can show: plain containers cut in depth and length,
    a container inside itself as "[...]" (as `repr` shows it), huge ints as a note;
    anything else as it is.

    Example:
        >>> nested = []
        >>> for _ in range(100):
        ...     nested = [nested]
        >>> bounded(nested, depth=3)
        [[[['… nested deeper']]]]
        >>> bounded(list(range(1_005)))[-1]
        '… 5 more items'
        >>> bounded({"big": 10**5000})
        {'big': '<int of 5,001 digits>'}
        >>> loop = [1]
        >>> loop.append(loop)
        >>> bounded(loop)
        [1, '[...]']
    """
    return _bounded(obj, depth, set())


def _bounded(obj: Any, depth: int, inside: set[int]) -> Any:
    if isinstance(obj, bool) or obj is None or isinstance(obj, float | str | bytes):
        return obj
    if isinstance(obj, int):
        text = int_text(obj)
        return obj if text[0] != "<" else text
    if not isinstance(obj, dict | list | tuple | set | frozenset):
        return obj
    if id(obj) in inside:
        return "{...}" if isinstance(obj, dict) else "[...]"
    if depth <= 0:
        return {"…": "nested deeper"} if isinstance(obj, dict) else ["… nested deeper"]
    inside.add(id(obj))
    try:
        if isinstance(obj, dict):
            items: dict[Any, Any] = {}
            for index, (key, value) in enumerate(obj.items()):
                if index == MAX_ITEMS:
                    items["…"] = _more(len(obj) - MAX_ITEMS, "keys")
                    break
                items[_bounded(key, 1, inside)] = _bounded(value, depth - 1, inside)
            return items
        values = []
        for index, value in enumerate(obj):
            if index == MAX_ITEMS:
                values.append(_more(len(obj) - MAX_ITEMS, "items"))
                break
            values.append(_bounded(value, depth - 1, inside))
        return tuple(values) if isinstance(obj, tuple) else values
    finally:
        inside.discard(id(obj))
