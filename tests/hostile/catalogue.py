"""The catalogue of hostile streams (issue 8): each entry makes a fresh stream.

Every entry is written so that what it should return can be worked out from its input,
never from what the code under test produced.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Hostile:
    """One hostile stream and what it must come to.

    Args:
        id: The test id.
        make: Makes a fresh stream: a generator, an iterable or an async generator.
        value: What `write_stream` must return (or keep, when it fails).
        raises: The exception the stream raises, if it fails.
        shows: Text that must be on the screen afterwards, as the user would read it.
    """

    id: str
    make: Callable[[], Any]
    value: Any
    raises: type[BaseException] | None = None
    shows: tuple[str, ...] = ()


def chunks(*parts: Any) -> Callable[[], Iterator[Any]]:
    return lambda: iter(parts)


def text_entry(id: str, *parts: str, shows: tuple[str, ...] = ()) -> Hostile:
    return Hostile(id, chunks(*parts), "".join(parts), shows=shows)


# --- Escape and control characters -------------------------------------------------------

ESCAPES = [
    text_entry("clear-screen", "before \x1b[2J", "\x1b[H after", shows=("before ␛[2J␛[H after",)),
    text_entry(
        "osc-0-title",
        "title: \x1b]0;PWNED-TITLE\x07 done",
        shows=("title: ␛]0;PWNED-TITLE␇ done",),
    ),
    text_entry(
        "osc-52-clipboard",
        "copy: \x1b]52;c;",
        "cm0gLXJmIH4=\x07 done",
        shows=("copy: ␛]52;c;cm0gLXJmIH4=␇ done",),
    ),
    text_entry(
        "c1-csi", "red: \x9b31mRED\x9b0m and osc \x9d0;T\x9c", shows=("\\x9b31mRED\\x9b0m",)
    ),
    text_entry(
        "bel-bs-cr-nul",
        "ring\x07 back\x08\x08space over\rwrite nul\x00end",
        shows=("ring␇ back␈␈space over␍write nul␀end",),
    ),
    text_entry("lone-surrogate", "lone \ud800 high, \udfff low", shows=("lone \\ud800 high",)),
    text_entry(
        "invisible-bidi-combining-zwj",
        "zero\u200bwidth, \u202eevil\u202c override, e\u0301\u0302 combining, "
        "family 👨\u200d👩\u200d👧 zwj, שלום rtl",
        shows=("\\u202eevil\\u202c override", "שלום rtl"),
    ),
    text_entry(
        "escapes-in-a-fence",
        "```\x1b]0;FENCE\x07\ncode \x1b[2J\x9b1m\n```\n",
        shows=("code ␛[2J\\x9b1m",),
    ),
]

# --- Rich markup and hard Markdown --------------------------------------------------------

MARKUP = "[bold]not bold[/bold] [/] [link=https://evil.example]link[/link] [bold unclosed"
DEEP_LIST = "".join("  " * depth + f"- level {depth}\n" for depth in range(500))
DEEP_QUOTE = "".join(">" * depth + f" quote {depth}\n" for depth in range(1, 501))
LONG_LINE = "x" * 100_000

MARKDOWN = [
    text_entry("rich-markup", MARKUP, shows=(MARKUP,)),
    text_entry(
        "rich-markup-in-a-markdown-table",
        "| [/] | [bold |\n|---|---|\n| [link=https://evil.example]x | [red]y[/red] |\n",
        shows=("[/]", "[bold", "[link=https://evil.example]x", "[red]y[/red]"),
    ),
    text_entry(
        "unclosed-fence", "```python\n", "print('never closed')\n", shows=("print('never closed')",)
    ),
    text_entry("500-nested-lists", DEEP_LIST, shows=("level 0",)),
    text_entry("500-nested-quotes", DEEP_QUOTE, shows=("quote 1",)),
    text_entry("100k-char-line", LONG_LINE, shows=("x" * 80,)),
]

# --- Size ---------------------------------------------------------------------------------

PARAGRAPH = "A sentence of an ordinary answer, with **bold** and `code`. " * 16 + "\n\n"
TEN_MB = PARAGRAPH * (10_000_000 // len(PARAGRAPH) + 1)
MILLION = ("One char at a time. " * 50_000)[:1_000_000]

SIZE = [
    Hostile("10-MB-single-chunk", chunks(TEN_MB), TEN_MB),
]

# --- Odd objects --------------------------------------------------------------------------


class Unprintable:
    """An object whose `__str__` and `__repr__` both raise."""

    def __str__(self) -> str:
        raise RuntimeError("no str for you")

    __repr__ = __str__


class EvilRepr:
    """An object whose `repr` and `str` are escape sequences."""

    def __repr__(self) -> str:
        return "\x1b]0;REPR-TITLE\x07\x1b[2J"

    __str__ = __repr__


def inner() -> Iterator[str]:
    yield "never iterated"


UNPRINTABLE = Unprintable()
RECURSIVE: list[Any] = [1, "two", EvilRepr()]
RECURSIVE.append(RECURSIVE)
INNER = inner()
EVIL = EvilRepr()
EVIL_DICT = {"\x1b]0;KEY\x07": "\x9b2J", "rtl": "\u202e"}
ERROR_CHUNK = ValueError("shown as a panel \x1b]52;c;QUJD\x07")

ODD = [
    Hostile(
        "none-chunks",
        chunks(None, "a", None, "b", None),
        [None, "a", None, "b", None],
        shows=("None",),
    ),
    Hostile(
        "bytes",
        chunks("bytes: ", b"\x1b]0;BYTES\x07\xff"),
        ["bytes: ", b"\x1b]0;BYTES\x07\xff"],
        shows=("\\x1b]0;BYTES\\x07\\xff",),
    ),
    Hostile(
        "str-and-repr-raise",
        chunks("before ", UNPRINTABLE, " after"),
        ["before ", UNPRINTABLE, " after"],
        shows=("<unprintable Unprintable>", "after"),
    ),
    Hostile("recursive-list", chunks(RECURSIVE), [RECURSIVE], shows=("two",)),
    Hostile("generator-yielding-a-generator", chunks("outer ", INNER), ["outer ", INNER]),
    Hostile("repr-is-an-escape", chunks(EVIL), [EVIL], shows=("␛]0;REPR-TITLE␇␛[2J",)),
    Hostile(
        "dict-with-escapes",
        chunks(EVIL_DICT),
        [EVIL_DICT],
        shows=("\\u001b]0;KEY\\u0007", "\\u009b2J"),
    ),
    Hostile("exception-chunk", chunks(ERROR_CHUNK), [ERROR_CHUNK], shows=("␛]52;c;QUJD␇",)),
]

# --- Hostile DataFrames -------------------------------------------------------------------

WIDE = pd.DataFrame(np.arange(30_000).reshape(3, 10_000))
MULTI = pd.DataFrame(
    [[1, 2, 3]],
    columns=pd.MultiIndex.from_tuples([("a", "x"), ("a", "[/]"), ("b", "\x1b]0;MI\x07")]),
)
DUPLICATE = pd.DataFrame([[1, 2, 3, 4, 5]], columns=["same", "same", 1, None, 2.5])
NESTED = pd.DataFrame({"cell": [{"a": {"b": [1, 2]}}, {"\x1b]0;CELL\x07": None}]})
TZ = pd.DataFrame(
    {"when": pd.date_range("2024-03-31 00:30", periods=3, freq="h", tz="Europe/Oslo")}
)
HUGE_CELL = pd.DataFrame({"text": ["[/]" + "y" * 1_000_000, "short"]})
EMPTY = pd.DataFrame()
NO_ROWS = pd.DataFrame(columns=["a", "b"])
ALL_NAN = pd.DataFrame({"a": [np.nan] * 3, "b": [None] * 3, "c": pd.array([pd.NA] * 3)})
MARKUP_CELLS = pd.DataFrame(
    {"[/]": ["[/]", "[link=https://evil.example]x", "[bold", "list[int]", "\x1b[2J\x9b"]}
)

FRAMES = [
    Hostile("frame-10k-columns", chunks(WIDE), [WIDE], shows=("3 rows × 10,000 columns",)),
    Hostile("frame-multiindex-columns", chunks(MULTI), [MULTI], shows=("a / [/]", "b / ␛]0;MI␇")),
    Hostile("frame-duplicate-and-odd-names", chunks(DUPLICATE), [DUPLICATE], shows=("same", "2.5")),
    Hostile("frame-nested-dicts", chunks(NESTED), [NESTED], shows=("{'a': {'b': [1, 2]}}",)),
    Hostile("frame-tz-aware", chunks(TZ), [TZ], shows=("2024-03-31 00:30:00+01:00",)),
    Hostile("frame-1MB-cell", chunks(HUGE_CELL), [HUGE_CELL], shows=("[/]yyyy", "short")),
    Hostile("frame-all-nan", chunks(ALL_NAN), [ALL_NAN], shows=("NaN", "<NA>")),
    Hostile("frame-empty", chunks(EMPTY), [EMPTY], shows=("0 rows × 0 columns",)),
    Hostile(
        "frame-no-rows",
        chunks(NO_ROWS),
        [NO_ROWS],
        shows=("0 rows × 2 columns",),
    ),
    Hostile(
        "frame-markup-cells",
        chunks(MARKUP_CELLS),
        [MARKUP_CELLS],
        shows=("[link=https://", "␛[2J\\x9b"),
    ),
]

# --- Generators that misbehave ------------------------------------------------------------


class ModelFellOver(Exception):
    """What the misbehaving generators raise."""


def raise_first() -> Iterator[str]:
    raise ModelFellOver("at the first chunk")
    yield "never"  # pragma: no cover


def raise_middle() -> Iterator[str]:
    yield "half an "
    yield "answer"
    raise ModelFellOver("in the middle\nwith a second line")


def raise_in_finally() -> Iterator[str]:
    try:
        yield "all of it"
    finally:
        raise ModelFellOver("in finally")


async def araise_middle() -> AsyncIterator[str]:
    yield "async half "
    await asyncio.sleep(0)
    raise ModelFellOver("async, in the middle")


MISBEHAVING = [
    Hostile("raises-on-first-chunk", raise_first, "", raises=ModelFellOver),
    Hostile(
        "raises-in-the-middle", raise_middle, "half an answer", ModelFellOver, ("half an answer",)
    ),
    Hostile("raises-in-finally", raise_in_finally, "all of it", ModelFellOver, ("all of it",)),
    Hostile(
        "async-raises-in-the-middle", araise_middle, "async half ", ModelFellOver, ("async half",)
    ),
]

CATALOGUE = [*ESCAPES, *MARKDOWN, *SIZE, *ODD, *FRAMES, *MISBEHAVING]
