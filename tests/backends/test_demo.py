"""The demo backend's reply: its word table measures every word of the prompt."""

from __future__ import annotations

import pandas as pd

from tui.backends.demo import demo
from tui.stream import collect


def reply_to(prompt: str) -> list[object]:
    value = collect(demo([{"role": "user", "content": prompt}], delay=0))
    assert isinstance(value, list)
    return value


def word_table(reply: list[object]) -> pd.DataFrame:
    (table,) = [part for part in reply if isinstance(part, pd.DataFrame)]
    return table


def test_a_ten_word_prompt_gives_ten_rows_in_order() -> None:
    """Every word is a row, none dropped (issue 15, item 18: 10 words gave 8 rows)."""
    words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    table = word_table(reply_to(" ".join(words)))
    assert list(table["word"]) == words
    assert list(table["letters"]) == [len(word) for word in words]


def test_a_prompt_too_long_for_the_table_says_how_many_words_it_shows() -> None:
    """Past the cap the table is cut, and the text right before it says so."""
    from tui.backends.demo import MAX_TABLE_WORDS

    words = [f"w{number}" for number in range(MAX_TABLE_WORDS + 5)]
    reply = reply_to(" ".join(words))
    table = word_table(reply)
    assert list(table["word"]) == words[:MAX_TABLE_WORDS]
    before = reply[next(index for index, part in enumerate(reply) if part is table) - 1]
    assert isinstance(before, str)
    assert f"the first {MAX_TABLE_WORDS:,} of {len(words):,} words" in before
