"""Sessions and messages: create, list, rename, delete, save while streaming, errors."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import tui.history.content
from tui.history import (
    HistoryStore,
    HistoryUnreadable,
    MessageNotFound,
    SchemaTooNew,
    SessionNotFound,
    StoredObject,
)
from tui.history.encoded import EncodedPart
from tui.history.parts import encode
from tui.history.store import default_history_path
from tui.history.writers import this_writer


def test_sessions_crud(store: HistoryStore) -> None:
    before = datetime.now(UTC)
    first = store.create_session(title="First", backend="demo")
    second = store.create_session(title="Second", backend="openai", model="gpt-4o-mini")
    store.add_message(first, "user", "hi")
    store.add_message(first, "assistant", "hello")

    info = store.session(first)
    assert (info.id, info.title, info.backend, info.model) == (first, "First", "demo", None)
    assert info.message_count == 2
    assert before <= info.created <= info.updated <= datetime.now(UTC)
    assert info.created.tzinfo is not None
    assert store.session(second).model == "gpt-4o-mini"
    assert store.session(second).message_count == 0

    # The session written to last comes first.
    assert [s.id for s in store.sessions()] == [first, second]
    assert store.latest_session() == first
    store.add_message(second, "user", "later")
    assert [s.id for s in store.sessions()] == [second, first]
    assert store.latest_session() == second

    store.rename_session(first, "Renamed")
    assert store.session(first).title == "Renamed"


def test_an_empty_store(store: HistoryStore) -> None:
    assert store.sessions() == []
    assert store.latest_session() is None
    assert store.search("anything") == []


def test_unknown_ids_raise_key_errors(store: HistoryStore) -> None:
    for call in (
        lambda: store.session(99),
        lambda: store.messages(99),
        lambda: store.rename_session(99, "x"),
        lambda: store.delete_session(99),
        lambda: store.add_message(99, "user", "x"),
    ):
        with pytest.raises(SessionNotFound, match="no session 99") as caught:
            call()
        assert isinstance(caught.value, KeyError)
    with pytest.raises(MessageNotFound, match="no message 5"):
        store.save_message(5, "x", status="finished")


def test_bad_role_or_status(store: HistoryStore) -> None:
    chat = store.create_session(title="t", backend="b")
    with pytest.raises(ValueError, match="role must be one of"):
        store.add_message(chat, "robot", "x")
    message = store.add_message(chat, "assistant", "")
    with pytest.raises(ValueError, match=r"status must be one of .* not 'done'"):
        store.save_message(message, "x", status="done")
    assert store.messages(chat)[0].value == ""


def test_delete_cascades_to_messages_parts_and_search(file_store: HistoryStore) -> None:
    keep = file_store.create_session(title="keep", backend="b")
    gone = file_store.create_session(title="gone", backend="b")
    for chat in (keep, gone):
        file_store.add_message(chat, "user", f"walrus {chat}")
        file_store.add_message(chat, "assistant", ["tusk", pd.DataFrame({"a": [1]})])
    file_store.delete_session(gone)

    assert [s.id for s in file_store.sessions()] == [keep]
    with pytest.raises(SessionNotFound):
        file_store.messages(gone)
    assert [hit.session_id for hit in file_store.search("walrus")] == [keep]
    with sqlite3.connect(file_store.path) as db:
        orphans = db.execute(
            "SELECT COUNT(*) FROM parts WHERE message_id NOT IN (SELECT id FROM messages)"
        ).fetchone()[0]
        messages = db.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
        db.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, parts_search, row)")
        indexed = {term for (term,) in db.execute("SELECT term FROM temp.terms")}
    assert (orphans, messages) == (0, 2)
    assert indexed == {"walrus", str(keep), "tusk"}


def test_messages_keep_order_shape_and_every_field(store: HistoryStore) -> None:
    chat = store.create_session(title="t", backend="b")
    calls = [{"name": "lookup", "arguments": '{"q": 1}'}, StoredObject("x.Call", "Call()")]
    ids = [
        store.add_message(chat, "user", "question"),
        store.add_message(chat, "assistant", "plain answer"),
        store.add_message(chat, "assistant", ["one string in a list"]),
        store.add_message(chat, "assistant", []),
        store.add_message(chat, "assistant", ""),
        store.add_message(
            chat,
            "assistant",
            ["text", {"k": 1}, "more"],
            status="failed",
            reasoning="thinking…",
            tool_calls=calls,
            error="ValueError: boom",
        ),
    ]
    messages = store.messages(chat)
    assert [m.id for m in messages] == ids
    assert [m.role for m in messages] == ["user"] + ["assistant"] * 5
    assert [m.value for m in messages] == [
        "question",
        "plain answer",
        ["one string in a list"],
        [],
        "",
        ["text", {"k": 1}, "more"],
    ]
    last = messages[-1]
    assert (last.status, last.reasoning, last.error) == ("failed", "thinking…", "ValueError: boom")
    assert last.tool_calls == calls
    assert all(m.session_id == chat for m in messages)
    assert messages[0].created <= messages[-1].created


def test_save_message_replaces_content_and_bumps_the_session(store: HistoryStore) -> None:
    chat = store.create_session(title="t", backend="b")
    other = store.create_session(title="other", backend="b")
    answer = store.add_message(chat, "assistant", "", status="streaming")
    store.add_message(other, "user", "newer")
    assert store.latest_session() == other

    frame = pd.DataFrame({"x": [1, 2]})
    store.save_message(answer, ["Hel"], status="streaming")
    store.save_message(answer, ["Hello", frame, "and"], status="streaming", reasoning="r1")
    store.save_message(answer, ["Hello", frame, "and more"], status="streaming", reasoning="r2")
    assert store.latest_session() == chat
    (message,) = store.messages(chat)
    assert message.status == "streaming"
    assert message.value[0] == "Hello" and message.value[2] == "and more"
    assert message.reasoning == "r2"

    # Shrinking drops the parts that are no longer there; tool calls come and go.
    store.save_message(answer, "Just text", status="stopped", tool_calls=[{"a": 1}])
    (message,) = store.messages(chat)
    assert (message.value, message.status, message.tool_calls) == (
        "Just text",
        "stopped",
        [{"a": 1}],
    )
    store.save_message(answer, "Just text", status="finished")
    assert store.messages(chat)[0].tool_calls == []


def test_another_store_can_finish_a_message_it_did_not_start(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with HistoryStore(path) as first:
        chat = first.create_session(title="t", backend="b")
        answer = first.add_message(chat, "assistant", ["a", {"b": 1}, "c"], status="streaming")
    with HistoryStore(path) as second:
        second.save_message(answer, ["a"], status="finished")
        assert second.messages(chat)[0].value == ["a"]


class CountingEncode:
    """Stands in for `encode` in the content writer and counts the frames it encodes."""

    def __init__(self) -> None:
        self.frames = 0

    def __call__(self, obj: object) -> EncodedPart:
        if isinstance(obj, pd.DataFrame | np.ndarray):
            self.frames += 1
        return encode(obj)


def test_a_streaming_message_encodes_each_frame_once(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingEncode()
    monkeypatch.setattr(tui.history.content, "encode", counting)
    chat = store.create_session(title="t", backend="b")
    frame, array = pd.DataFrame({"x": range(1000)}), np.arange(10)
    answer = store.add_message(chat, "assistant", ["a", frame], status="streaming")
    for n in range(5):
        store.save_message(answer, ["a" * n, frame, "b" * n, array], status="streaming")
    store.save_message(answer, ["done", frame, "b", array], status="finished")
    assert counting.frames == 2

    # Once finished, nothing is cached: a new save encodes again.
    store.save_message(answer, ["again", frame], status="finished")
    assert counting.frames == 3

    # An equal frame that is another object is encoded: identity, not equality.
    streaming = store.add_message(chat, "assistant", [frame], status="streaming")
    store.save_message(streaming, [frame.copy()], status="streaming")
    assert counting.frames == 5
    assert_frame_equal(store.messages(chat)[-1].value[0], frame)


def test_streaming_saves_rewrite_only_what_changed(file_store: HistoryStore) -> None:
    chat = file_store.create_session(title="t", backend="b")
    frame = pd.DataFrame({"x": range(100)})
    answer = file_store.add_message(chat, "assistant", ["a", frame], status="streaming")
    statements: list[str] = []
    file_store._db.set_trace_callback(statements.append)
    file_store.save_message(answer, ["ab", frame, "c"], status="streaming")
    file_store._db.set_trace_callback(None)
    written = {
        int(match)
        for s in statements
        for match in re.findall(r"^INSERT INTO parts .*?'value', (\d+)", s)
    }
    assert written == {0, 2}  # the grown text and the new text, not the frame
    assert_frame_equal(file_store.messages(chat)[0].value[1], frame)


def test_a_silent_streaming_message_reads_as_interrupted(file_store: HistoryStore) -> None:
    """Judged on read against `stale_after`: no window a busy machine could miss."""
    store = file_store
    store.stale_after = 3600.0
    chat = store.create_session(title="t", backend="b")
    answer = store.add_message(chat, "assistant", "partial", status="streaming")
    assert store.messages(chat)[0].status == "streaming"
    time.sleep(0.01)
    store.stale_after = 0.0  # every save is now older than that
    assert store.messages(chat)[0].status == "interrupted"
    store.save_message(answer, "partial and more", status="streaming")
    # Only ever judged on read: the file still says streaming, and a save counts as fresh.
    with contextlib.closing(sqlite3.connect(store.path)) as fresh:
        row = fresh.execute("SELECT status FROM messages WHERE id = ?", (answer,)).fetchone()
    assert row == ("streaming",)
    store.stale_after = 3600.0
    assert store.messages(chat)[0].status == "streaming"


def set_writer(path: Path, writer: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE messages SET writer = ? WHERE status = 'streaming'", (writer,))


def test_a_message_whose_writer_died_is_interrupted_on_open(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with HistoryStore(path) as store:
        chat = store.create_session(title="t", backend="b")
        store.add_message(chat, "assistant", "partial", status="streaming")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    place = this_writer().rpartition("|")[0]
    set_writer(path, f"{place}|{dead.stdout.strip()}")
    with HistoryStore(path) as store:
        (message,) = store.messages(chat)
        assert (message.status, message.value) == ("interrupted", "partial")
    with sqlite3.connect(path) as db:  # recorded in the file, not only reported
        assert db.execute("SELECT status, writer FROM messages").fetchone() == ("interrupted", None)


@pytest.mark.parametrize("where", ["live process here", "another host"])
def test_a_live_or_unknown_writer_is_not_interrupted(tmp_path: Path, where: str) -> None:
    path = tmp_path / "h.sqlite3"
    with HistoryStore(path) as store:
        chat = store.create_session(title="t", backend="b")
        store.add_message(chat, "assistant", "partial", status="streaming")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        place = this_writer().rpartition("|")[0]
        writer = f"{place}|{sleeper.pid}" if where == "live process here" else "far|pid:[1]|1"
        set_writer(path, writer)
        with HistoryStore(path) as store:
            assert store.messages(chat)[0].status == "streaming"
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_file_that_is_not_a_database_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    garbage = b"this is not SQLite, just some bytes\n" * 200
    path.write_bytes(garbage)
    with pytest.raises(HistoryUnreadable, match=r"history\.sqlite3") as caught:
        HistoryStore(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == garbage


def test_a_file_from_a_newer_inkstream_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO _migrations VALUES ('m999_hologram', 0)")
    with pytest.raises(SchemaTooNew, match=r"history\.sqlite3.*newer inkstream.*m999_hologram"):
        HistoryStore(path)


def test_the_file_is_made_with_its_folders_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "history.sqlite3"
    with HistoryStore(path) as store:
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert path.is_file()


def test_default_path_is_in_the_user_data_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert default_history_path() == tmp_path / "inkstream" / "history.sqlite3"
    assert default_history_path().name == "history.sqlite3"


def test_a_store_can_be_shared_by_threads(store: HistoryStore) -> None:
    from concurrent.futures import ThreadPoolExecutor

    chat = store.create_session(title="t", backend="b")
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda n: store.add_message(chat, "user", f"m{n}"), range(100)))
    assert sorted(m.value for m in store.messages(chat)) == sorted(f"m{n}" for n in range(100))


def test_lone_surrogates_in_reasoning_and_error_are_stored_as_escapes(tmp_path: Path) -> None:
    """SQLite holds UTF-8 only: a model's lone surrogate must not make the save fail."""
    store = HistoryStore(tmp_path / "history.sqlite3")
    session = store.create_session(title="t", backend="demo")
    first = store.add_message(
        session, "assistant", "a\ud800", reasoning="think \udfff", error="bad \ud800"
    )
    second = store.add_message(session, "assistant", "", status="streaming")
    store.save_message(second, "b", status="failed", reasoning="\ud83d", error="x\udc00")
    stored = {message.id: message for message in store.messages(session)}
    assert (stored[first].reasoning, stored[first].error) == ("think \\udfff", "bad \\ud800")
    assert (stored[second].reasoning, stored[second].error) == ("\\ud83d", "x\\udc00")


def test_prompts_are_every_sessions_prompts_oldest_first_without_repeats_in_a_row() -> None:
    with HistoryStore(":memory:") as store:
        first = store.create_session(title="a", backend="echo")
        second = store.create_session(title="b", backend="echo")
        for session, prompt in ((first, "one"), (second, "two"), (second, "two"), (first, "3")):
            store.add_message(session, "user", prompt)
            store.add_message(session, "assistant", f"answer to {prompt}")
        assert store.prompts() == ["one", "two", "3"]
        assert store.prompts(limit=2) == ["two", "3"]
