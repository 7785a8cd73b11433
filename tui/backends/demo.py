"""The `demo` backend: offline, no key, and it answers the prompt it is given.

Its reply shows everything a stream can carry: Markdown with a heading, bold text, a list
and a code fence, then a DataFrame, then a dict, then more text, streamed at a model's pace.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

from tui.backends import Message

_TOKEN = re.compile(r"\S{1,6}\s*|\s+")
MAX_TABLE_WORDS = 1_000
"""The most words the word table measures; past it the text says how many it shows."""

_TOPICS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("table", "data", "frame", "pandas", "csv"),
        "You mentioned data, so the table below is the star: it is a real pandas "
        "DataFrame, shown as a virtual table that stays fast at a million rows.",
    ),
    (
        ("code", "python", "function", "generator"),
        "You asked about code: any Python generator can be a backend, and the fence below is one.",
    ),
    (
        ("hello", "hi", "hey"),
        "Hello to you too! I am the offline demo, so I answer without a network or a key.",
    ),
)
_DEFAULT_TOPIC = "I am the offline demo: I can't think, but I can show what a stream can carry."


def _last_prompt(messages: list[Message]) -> str:
    return next((str(m["content"]) for m in reversed(messages) if m["role"] == "user"), "")


def _topic(prompt: str) -> str:
    words = set(re.findall(r"[a-z]+", prompt.lower()))
    return next((text for keys, text in _TOPICS if words & set(keys)), _DEFAULT_TOPIC)


def _quote(prompt: str) -> str:
    flat = " ".join(prompt.split())
    flat = flat if len(flat) <= 60 else flat[:59] + "…"
    return flat.replace("`", "'")


def _words(prompt: str) -> list[str]:
    return re.findall(r"\w+", prompt)


def _table_heading(prompt: str) -> str:
    count = len(_words(prompt))
    if count <= MAX_TABLE_WORDS:
        return "Your words, measured:\n"
    return f"Your words, measured (the first {MAX_TABLE_WORDS:,} of {count:,} words):\n"


def _word_table(prompt: str) -> Any:
    import pandas as pd

    words = _words(prompt)[:MAX_TABLE_WORDS] or ["(empty)"]
    return pd.DataFrame(
        {
            "word": words,
            "letters": [len(word) for word in words],
            "vowels": [sum(char in "aeiouAEIOU" for char in word) for word in words],
            "share": [len(word) / max(1, len(prompt)) for word in words],
        }
    )


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


async def demo(messages: list[Message], delay: float = 0.03) -> AsyncIterator[Any]:
    """Answer the last prompt with Markdown, a DataFrame, a dict and more text.

    Args:
        messages: The conversation so far; the last user message is answered.
        delay: Seconds between tokens, to feel like a model; 0 for tests.

    Example:
        >>> from tui.stream import collect
        >>> reply = collect(demo([{"role": "user", "content": "hi"}], delay=0))
        >>> [type(part).__name__ for part in reply]
        ['str', 'DataFrame', 'dict', 'str']
    """
    prompt = _last_prompt(messages)
    turn = sum(1 for m in messages if m["role"] == "user")
    opening = (
        f"## You said: `{_quote(prompt)}`\n\n"
        f"{_topic(prompt)}\n\n"
        "Here is what one **stream** can carry into this chat:\n\n"
        "- text, typed like a *typewriter* and rendered as Markdown;\n"
        "- pandas DataFrames, shown as tables;\n"
        "- any other object, written the way `st.write` would.\n\n"
        "```python\n"
        "def backend(messages):\n"
        '    yield "Hello, "\n'
        '    yield "world"\n'
        "```\n\n"
        f"{_table_heading(prompt)}"
    )
    for token in _tokens(opening):
        yield token
        await asyncio.sleep(delay)
    yield _word_table(prompt)
    await asyncio.sleep(delay * 5)
    yield {"prompt": prompt, "characters": len(prompt), "turn": turn, "backend": "demo"}
    closing = (
        "\n\nThat was a dict. Press **Esc** while I type to stop me: "
        "what has arrived stays on screen and in the history."
    )
    for token in _tokens(closing):
        yield token
        await asyncio.sleep(delay)
