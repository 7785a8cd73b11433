"""The tree of messages: siblings, the active branch, search, export and delete."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from tui.history import HistoryStore, MessageNotFound, export_json, export_markdown, import_json
from tui.history.store import ROOT


def texts(store: HistoryStore, chat: int, **through: int) -> list[object]:
    return [message.value for message in store.branch(chat, **through)]


@pytest.fixture
def forked(store: HistoryStore) -> dict[str, int]:
    """q1 → a1 | a1b (regenerated, active) ; a1b → q2 ; q2 → a2 | a2b ; edit of q1: q1b → a3."""
    chat = store.create_session(title="Forks", backend="echo")
    ids = {"chat": chat}
    ids["q1"] = store.add_message(chat, "user", "first question")
    ids["a1"] = store.add_message(chat, "assistant", "first answer")
    ids["a1b"] = store.add_message(chat, "assistant", "second answer", parent=ids["q1"])
    ids["q2"] = store.add_message(chat, "user", "follow-up on the second")
    ids["a2"] = store.add_message(
        chat, "assistant", ["a table:", pd.DataFrame({"x": [1, 2], "y": ["é", None]})]
    )
    ids["a2b"] = store.add_message(chat, "assistant", "another follow-up", parent=ids["q2"])
    ids["q1b"] = store.add_message(chat, "user", "edited first question", parent=ROOT)
    ids["a3"] = store.add_message(chat, "assistant", "answer to the edit")
    return ids


def test_new_messages_follow_the_active_branch(store: HistoryStore, forked: dict[str, int]) -> None:
    chat = forked["chat"]
    assert texts(store, chat) == ["edited first question", "answer to the edit"]
    assert store.siblings(forked["q1"]) == [forked["q1"], forked["q1b"]]
    assert store.siblings(forked["a1b"]) == [forked["a1"], forked["a1b"]]
    first, answer = store.branch(chat)
    assert first.parent_id is None and first.siblings == (forked["q1"], forked["q1b"])
    assert answer.parent_id == forked["q1b"] and answer.siblings == (forked["a3"],)
    assert store.other_branches(chat) == 3  # leaves a1, a2, a2b, a3


def test_set_active_remembers_the_choices_below(
    store: HistoryStore, forked: dict[str, int]
) -> None:
    chat = forked["chat"]
    store.set_active(forked["q1"])  # back to the first prompt: on down its last choices
    assert texts(store, chat) == [
        "first question",
        "second answer",
        "follow-up on the second",
        "another follow-up",
    ]
    store.set_active(forked["a1"])
    assert texts(store, chat) == ["first question", "first answer"]
    store.set_active(forked["a2"])  # deep: every level above is chosen too
    assert texts(store, chat)[1:3] == ["second answer", "follow-up on the second"]
    # Reading a branch by a message does not move the active one.
    assert texts(store, chat, through=forked["a3"]) == [
        "edited first question",
        "answer to the edit",
    ]
    assert store.branch(chat)[-1].id == forked["a2"]
    new = store.add_message(chat, "user", "after the table")
    assert store.branch(chat)[-1].id == new and store.branch(chat)[-2].id == forked["a2"]


def test_a_parent_must_be_in_the_session(store: HistoryStore, forked: dict[str, int]) -> None:
    other = store.create_session(title="Other", backend="echo")
    with pytest.raises(MessageNotFound):
        store.add_message(other, "assistant", "x", parent=forked["q1"])
    with pytest.raises(MessageNotFound):
        store.set_active(10_000)
    with pytest.raises(MessageNotFound):
        store.siblings(10_000)


def test_the_active_branch_is_stored_in_the_file(file_store: HistoryStore) -> None:
    chat = file_store.create_session(title="Kept", backend="echo")
    prompt = file_store.add_message(chat, "user", "q")
    old = file_store.add_message(chat, "assistant", "old")
    file_store.add_message(chat, "assistant", "new", parent=prompt)
    file_store.set_active(old)
    with HistoryStore(file_store.path) as again:
        assert texts(again, chat) == ["q", "old"]
        assert again.latest_session() == chat


def test_search_finds_every_branch(store: HistoryStore, forked: dict[str, int]) -> None:
    chat = forked["chat"]
    (hit,) = store.search("another follow-up")
    assert hit.message_id == forked["a2b"] and hit.session_id == chat
    assert texts(store, chat, through=hit.message_id)[-1] == "another follow-up"
    (hit,) = store.search("first answer")
    assert hit.message_id == forked["a1"]


def test_json_round_trips_the_whole_tree(store: HistoryStore, forked: dict[str, int]) -> None:
    chat = forked["chat"]
    store.set_active(forked["a2"])
    text = json.dumps(export_json(store, chat))
    copy = import_json(store, json.loads(text))
    assert json.loads(json.dumps(export_json(store, copy))) == json.loads(text)
    assert store.other_branches(copy) == 3
    (mine, theirs) = (store.branch(chat), store.branch(copy))
    assert [m.value for m in mine[:3]] == [m.value for m in theirs[:3]]
    pd.testing.assert_frame_equal(mine[3].value[1], theirs[3].value[1])
    assert [len(m.siblings) for m in mine] == [len(m.siblings) for m in theirs] == [2, 2, 1, 2]
    exported = json.loads(text)["messages"]
    assert [m["parent"] for m in exported] == [None, 0, 0, 2, 3, 3, None, 6]
    assert [m["active"] for m in exported] == [True, False, True, True, True, False, False, True]


def test_an_import_with_a_bad_parent_is_refused(store: HistoryStore) -> None:
    chat = store.create_session(title="t", backend="b")
    store.add_message(chat, "user", "q")
    data = export_json(store, chat)
    data["messages"][0]["parent"] = 0
    with pytest.raises(ValueError, match=r"messages\[0\]\.parent: 0 is not the index"):
        import_json(store, data)


def test_a_version_1_export_is_one_branch(store: HistoryStore) -> None:
    chat = store.create_session(title="t", backend="b")
    for n in range(4):
        store.add_message(chat, "user" if n % 2 == 0 else "assistant", f"m{n}")
    data = export_json(store, chat)
    data["version"] = 1
    for message in data["messages"]:
        del message["parent"], message["active"]
    copy = import_json(store, data)
    assert texts(store, copy) == ["m0", "m1", "m2", "m3"]
    assert [m.parent_id for m in store.branch(copy)][1:] == [m.id for m in store.branch(copy)][:-1]


def test_markdown_writes_the_active_branch_and_counts_the_others(
    store: HistoryStore, forked: dict[str, int]
) -> None:
    chat = forked["chat"]
    store.set_active(forked["a1"])
    text = export_markdown(store, chat)
    assert "first answer" in text and "first question" in text
    assert "second answer" not in text and "edited first question" not in text
    assert "3 other branches not written here" in text


def test_deleting_a_session_deletes_every_branch(file_store: HistoryStore, tmp_path: Path) -> None:
    chat = file_store.create_session(title="Gone", backend="echo")
    keep = file_store.create_session(title="Kept", backend="echo")
    file_store.add_message(keep, "user", "stay")
    prompt = file_store.add_message(chat, "user", "q")
    file_store.add_message(chat, "assistant", ["a", pd.DataFrame({"x": [1]})])
    file_store.add_message(chat, "assistant", "b", parent=prompt)
    file_store.add_message(chat, "user", "q edited", parent=ROOT)
    file_store.delete_session(chat)
    with sqlite3.connect(file_store.path) as db:
        assert db.execute("SELECT session_id, COUNT(*) FROM messages GROUP BY 1").fetchall() == [
            (keep, 1)
        ]
        assert db.execute("SELECT COUNT(*) FROM parts").fetchone() == (1,)
    assert file_store.search("edited") == []


def test_the_recorder_retries_edits_and_keeps_the_tree_when_the_file_goes(
    tmp_path: Path,
) -> None:
    from tui.history.recording import SessionRecorder

    class Answer:
        def __init__(self, value: str) -> None:
            self.value, self.reasoning, self.tool_calls = value, "", []

    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path)
    recorder = SessionRecorder(store, backend="echo")
    first = recorder.begin("q")
    prompt = recorder.prompt_id
    assert first is not None and prompt is not None
    recorder.save(first, Answer("one"), "finished")
    second = recorder.retry(prompt)
    assert second is not None
    recorder.save(second, Answer("two"), "failed", "HTTP 500")
    edited = recorder.begin("q edited", parent=ROOT)
    assert edited is not None
    recorder.save(edited, Answer("three"), "finished")
    recorder.choose(first)
    chat = recorder.session_id
    assert chat is not None
    assert texts(store, chat) == ["q", "one"]
    for side in ("", "-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    third = recorder.retry(prompt)  # the file is made anew with the whole tree
    assert third is not None and recorder.failure is None
    recorder.save(third, Answer("four"), "finished")
    again = recorder.session_id
    assert again is not None
    assert texts(store, again) == ["q", "four"]
    assert [len(m.siblings) for m in store.branch(again)] == [2, 3]
    store.set_active(recorder.current(second))
    assert texts(store, again) == ["q", "two"]
    store.close()
