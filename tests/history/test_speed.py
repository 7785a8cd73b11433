"""A 2,000-message session opens in well under a second (see benchmarks/history_store.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from tui.history import HistoryStore


def test_a_2000_message_session_opens_in_well_under_a_second(tmp_path: Path) -> None:
    path = tmp_path / "long.sqlite3"
    text = "A paragraph of an answer, long enough to be realistic. " * 10
    with HistoryStore(path) as store:
        chat = store.create_session(title="Long", backend="demo")
        for n in range(1000):
            store.add_message(chat, "user", f"question {n}")
            small = pd.DataFrame({"n": range(20)})
            store.add_message(chat, "assistant", [text, small] if n % 100 == 0 else text)
    start = time.perf_counter()
    with HistoryStore(path) as store:
        messages = store.messages(chat)
    elapsed = time.perf_counter() - start
    assert len(messages) == 2000
    assert messages[-1].value == text and messages[-2].value == "question 999"
    assert elapsed < 0.5, f"{elapsed:.3f} s"
