"""The history store: opening a 2,000-message session, and saving while a frame streams.

- *open*: `HistoryStore(path)` plus `messages(session)` for a session of 1,000 prompts
  and 1,000 answers of about 600 characters each, one answer in 50 with a 20-row
  DataFrame. Each run uses a new store, as a resumed app would.
- *save*: one `save_message` of a streaming answer holding a 100,000-row DataFrame (4
  columns: int, float, str, datetime) while its text grows: with the same frame object
  every time, as the app does (encoded once, then cached), and with an equal frame that
  is another object every time (encoded each time, the cost the cache saves).

The *open* figure is held against issue 5's goal (a 2,000-message session opens in
under a second) with room to spare: at most `OPEN_GOAL`. It used to be asserted in
`tests/history/test_speed.py`, where a loaded machine made it flaky; a test checks no
timings. The run still checks what it reads back: every message, in order.

Run with the suite (`python -m benchmarks --only history_store`; `--quick` writes 200
messages and repeats less), or alone: `.venv/bin/python benchmarks/history_store.py`.
Figures are medians.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.harness import Row, goal
from tui.history.parts import encode
from tui.history.store import HistoryStore

__all__ = ["run"]

MESSAGES, QUICK_MESSAGES = 2_000, 200
OPEN_GOAL = 0.5
"""Seconds: well under issue 5's one second for opening a 2,000-message session."""

PARAGRAPH = ("Streaming text arrives a few characters at a time, and the history keeps it. " * 8)[
    :600
]


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def small_frame() -> pd.DataFrame:
    """The 20-row frame one answer in 50 holds."""
    return pd.DataFrame({"x": range(20), "y": np.linspace(0, 1, 20)})


def answer(n: int) -> str | list[object]:
    """The `n`th answer of `build_session`: text, and a frame in one of 50."""
    return [PARAGRAPH, small_frame(), "That is all."] if n % 50 == 0 else PARAGRAPH


def build_session(path: Path, messages: int = MESSAGES) -> int:
    with HistoryStore(path) as store:
        chat = store.create_session(title="Long chat", backend="demo")
        for n in range(messages // 2):
            store.add_message(chat, "user", f"Question {n}: what comes next?")
            store.add_message(chat, "assistant", answer(n))
    return chat


def open_session(path: Path, chat: int) -> int:
    with HistoryStore(path) as store:
        return len(store.messages(chat))


def check_session(path: Path, chat: int, messages: int) -> None:
    """Raise `AssertionError` unless a new store reads back all of `build_session`'s
    messages in order: prompts and answers alternating, frames among them."""
    with HistoryStore(path) as store:
        read = store.messages(chat)
    last = messages // 2 - 1
    assert len(read) == messages, f"{len(read)} of {messages} messages read back"
    assert [m.role for m in read[:2]] == ["user", "assistant"], "prompts and answers out of order"
    assert read[-2].value == f"Question {last}: what comes next?", read[-2].value
    for value, n in ((read[1].value, 0), (read[-1].value, last)):
        expected = answer(n)
        if isinstance(expected, str):
            assert value == expected, f"answer {n} differs"
        else:
            assert isinstance(value, list) and len(value) == 3, f"answer {n}: {value!r:.80}"
            assert value[::2] == expected[::2], f"answer {n}'s text differs"
            assert isinstance(value[1], pd.DataFrame) and value[1].equals(expected[1])


def big_frame() -> pd.DataFrame:
    rows = 100_000
    return pd.DataFrame(
        {
            "id": np.arange(rows),
            "value": np.random.default_rng(0).normal(size=rows),
            "label": [f"item {n % 977}" for n in range(rows)],
            "when": pd.date_range("2024-01-01", periods=rows, freq="min", tz="UTC"),
        }
    )


def save_costs(path: Path, repeat: int = 20) -> tuple[float, float, float]:
    frame = big_frame()
    copies = [frame.copy() for _ in range(repeat + 1)]
    with HistoryStore(path) as store:
        chat = store.create_session(title="Frames", backend="demo")
        cached = store.add_message(chat, "assistant", ["", frame, ""], status="streaming")
        fresh = store.add_message(chat, "assistant", ["", copies[0], ""], status="streaming")
        text = iter(range(10**6))
        same = median_ms(
            lambda: store.save_message(
                cached, [f"{next(text)} words", frame, "..."], status="streaming"
            ),
            repeat,
        )
        others = iter(copies[1:])
        new = median_ms(
            lambda: store.save_message(
                fresh, [f"{next(text)} words", next(others), "..."], status="streaming"
            ),
            repeat,
        )
    encode_only = median_ms(lambda: encode(frame), 5)
    return same, new, encode_only


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        start = time.perf_counter()
        chat = build_session(path)
        built = time.perf_counter() - start
        check_session(path, chat, MESSAGES)
        opened = median_ms(lambda: open_session(path, chat), 7)
        size = path.stat().st_size / 1e6
        same, new, encode_only = save_costs(Path(folder) / "frames.sqlite3")
    print(f"write 2,000 messages, one transaction each: {built * 1000:8.0f} ms ({size:.1f} MB)")
    print(f"open a 2,000-message session:               {opened:8.1f} ms")
    print(f"save_message, 100k-row frame, cached:       {same:8.1f} ms")
    print(f"save_message, 100k-row frame, not cached:   {new:8.1f} ms")
    print(f"encode the 100k-row frame alone:            {encode_only:8.1f} ms")


async def run(quick: bool) -> list[Row]:
    """Write, open and save as `main` does; the report's rows (seconds)."""
    count = QUICK_MESSAGES if quick else MESSAGES
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        start = time.perf_counter()
        chat = build_session(path, count)
        built = time.perf_counter() - start
        check_session(path, chat, count)
        opened = median_ms(lambda: open_session(path, chat), 3 if quick else 7) / 1000
        same, new, encode_only = save_costs(Path(folder) / "frames.sqlite3", 3 if quick else 20)
    return [
        Row(
            "history_store",
            f"open a {count:,}-message session (HistoryStore + messages)",
            opened,
            note=f"median of {3 if quick else 7}; writing it took {built:.2f} s, one "
            "transaction per message; all messages read back in order",
            goal=goal(opened <= OPEN_GOAL, "<= 0.5 s, well under issue 5's 1 s")
            if count == MESSAGES
            else "",
        ),
        Row(
            "history_store",
            "save_message of a streaming answer with a 100k-row frame",
            same / 1000,
            "the same with the frame encoded again (no cache)",
            new / 1000,
            f"encoding the frame alone: {encode_only:.0f} ms",
        ),
    ]


if __name__ == "__main__":
    main()
