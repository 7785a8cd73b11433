"""Full-text search over prompts and answers, with user input read as plain words."""

from __future__ import annotations

import pandas as pd
import pytest

from tui.history import HistoryStore


@pytest.fixture
def chats(store: HistoryStore) -> dict[str, int]:
    """Two sessions; the second written after the first."""
    cooking = store.create_session(title="Cooking", backend="demo")
    store.add_message(cooking, "user", "How long do I boil an egg?")
    store.add_message(cooking, "assistant", "Boil the egg for seven minutes (not eight).")
    travel = store.create_session(title="Travel", backend="demo")
    store.add_message(travel, "user", "Trains from Zürich to Milano?")
    store.add_message(
        travel,
        "assistant",
        ["Several trains a day; the table:", pd.DataFrame({"egg": [1]}), {"note": "egg"}],
    )
    return {"cooking": cooking, "travel": travel}


def test_finds_words_in_prompts_and_answers(store: HistoryStore, chats: dict[str, int]) -> None:
    prompt = store.search("boil")
    assert [(hit.session_id, hit.title) for hit in prompt] == [(chats["cooking"], "Cooking")] * 2
    user, answer = (m.id for m in store.messages(chats["cooking"]))
    assert [hit.message_id for hit in prompt] == [answer, user]  # newest first
    assert prompt[0].snippet == "«Boil» the egg for seven minutes (not eight)."
    assert store.search("milano")[0].snippet == "Trains from Zürich to «Milano»?"


def test_every_word_must_match_in_any_order_and_case(
    store: HistoryStore, chats: dict[str, int]
) -> None:
    assert len(store.search("EGG boil")) == 2
    assert len(store.search("egg minutes")) == 1
    assert store.search("egg zürich") == []
    assert len(store.search("zurich")) == 1  # diacritics folded


def test_only_text_is_searched_and_one_hit_per_message(
    store: HistoryStore, chats: dict[str, int]
) -> None:
    """The frame's column and the JSON's value say "egg" too; they are not text."""
    assert {hit.session_id for hit in store.search("egg")} == {chats["cooking"]}
    store.add_message(chats["travel"], "assistant", ["train one", {"x": 1}, "train two"])
    hits = store.search("train")
    assert len(hits) == 1 and hits[0].snippet == "«train» one"


def test_newest_first_and_limit(store: HistoryStore) -> None:
    chat = store.create_session(title="t", backend="b")
    ids = [store.add_message(chat, "user", f"needle number {n}") for n in range(10)]
    assert [hit.message_id for hit in store.search("needle")] == ids[::-1]
    assert [hit.message_id for hit in store.search("needle", limit=3)] == ids[:-4:-1]
    assert store.search("needle", limit=0) == []


def test_a_saved_answer_is_reindexed(store: HistoryStore) -> None:
    chat = store.create_session(title="t", backend="b")
    answer = store.add_message(chat, "assistant", "", status="streaming")
    store.save_message(answer, "first draft", status="streaming")
    assert len(store.search("draft")) == 1
    store.save_message(answer, ["final answer", {"draft": 1}], status="finished")
    assert store.search("draft") == []
    assert store.search("final")[0].message_id == answer


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "(egg",
        "egg)",
        "AND",
        "egg AND",
        "OR NOT",
        "*",
        "egg*",
        "NEAR(egg boil)",
        "title:egg",
        "^egg",
        "-egg",
        "+",
        '""',
        "'",
        "egg\x00",
        "   ",
        "",
    ],
)
def test_any_user_input_is_safe(store: HistoryStore, chats: dict[str, int], query: str) -> None:
    store.search(query)  # must not raise


def test_syntax_characters_are_searched_as_words(store: HistoryStore) -> None:
    chat = store.create_session(title="t", backend="b")
    store.add_message(chat, "user", "use AND and NOT in the (query)")
    assert len(store.search("AND")) == 1
    assert len(store.search("(query)")) == 1
    assert store.search("qu*") == []  # no prefix syntax: "qu" is not a word here
