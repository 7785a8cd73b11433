"""The chat with a real SQLite history: turns are saved as they stream, sessions reopen
as they were, long sessions open in batches, and the session list works."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from textual.widgets import DataTable, Input

from tests.app.helpers import Gate, Recorder, make_app
from tests.screen import screen_text
from tui.backends.echo import echo
from tui.history.store import HistoryStore
from tui.widgets.chat.chat_message import ChatMessage
from tui.widgets.chat.message_log import BATCH, MessageLog
from tui.widgets.chat.prompt_input import PromptInput
from tui.widgets.chat.session_list import RenameSession, SessionList
from tui.widgets.transcript import MarkdownLines
from tui.widgets.transcript.frame_table import FrameTable


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with HistoryStore(tmp_path / "history.sqlite3") as opened:
        yield opened


async def send(pilot: Any, text: str) -> None:
    pilot.app.query_one(PromptInput).insert(text)
    await pilot.press("enter")


def frame() -> pd.DataFrame:
    return pd.DataFrame({"city": ["Oslo", "Lima"], "rain_mm": [763.0, 6.4]})


def stored_session(store: HistoryStore, turns: int, title: str = "old chat") -> int:
    """A session of `turns` prompt/answer pairs; the last answer holds a table."""
    session_id = store.create_session(title=title, backend="demo")
    for index in range(turns):
        store.add_message(session_id, "user", f"question {index}")
        answer: Any = f"answer {index}"
        if index == turns - 1:
            answer = ["Here is the table:", frame(), "done"]
        store.add_message(session_id, "assistant", answer)
    return session_id


async def test_a_turn_is_saved_in_a_new_session_titled_by_its_prompt(store: HistoryStore) -> None:
    app = make_app(echo, history=store)
    async with app.run_test() as pilot:
        await send(pilot, "hello   history\nsecond line")
        await app.workers.wait_for_complete()
    (info,) = store.sessions()
    assert info.title == "hello history second line"
    user, answer = store.messages(info.id)
    assert (user.role, user.value) == ("user", "hello   history\nsecond line")
    assert (answer.role, answer.status) == ("assistant", "finished")
    assert answer.value == app.conversation.turns[0].response


async def test_a_stopped_turn_is_saved_as_stopped_with_its_partial_text(
    store: HistoryStore,
) -> None:
    gate = Gate("half of it")
    app = make_app(gate, history=store)
    async with app.run_test() as pilot:
        await send(pilot, "go")
        await asyncio.wait_for(gate.started.wait(), 5)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
    (info,) = store.sessions()
    answer = store.messages(info.id)[-1]
    assert (answer.status, answer.value) == ("stopped", "half of it")


async def test_a_streaming_answer_is_saved_every_second(tmp_path: Path) -> None:
    """Another connection sees the partial answer while it still streams."""
    path = tmp_path / "history.sqlite3"
    gate = Gate("saved while streaming")
    with HistoryStore(path) as writer, HistoryStore(path) as reader:
        app = make_app(gate, history=writer)
        async with app.run_test() as pilot:
            await send(pilot, "go")
            await asyncio.wait_for(gate.started.wait(), 5)
            await asyncio.sleep(1.3)
            (info,) = reader.sessions()
            answer = reader.messages(info.id)[-1]
            assert answer.status == "streaming"
            assert answer.value == "saved while streaming"
            gate.release.set()
            await app.workers.wait_for_complete()


async def test_a_resumed_session_shows_its_table_and_feeds_the_backend(
    store: HistoryStore,
) -> None:
    session_id = stored_session(store, 2)
    recorder = Recorder("ok")
    app = make_app(recorder, history=store, session_id=session_id)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        table = app.query_one(FrameTable)
        pd.testing.assert_frame_equal(table.frame, frame())
        assert "question 1" in screen_text(app)
        await send(pilot, "and now?")
        await app.workers.wait_for_complete()
    sent = recorder.calls[0]
    assert [m["role"] for m in sent] == ["user", "assistant", "user", "assistant", "user"]
    assert sent[1]["content"] == "answer 0"
    assert "Oslo" in sent[3]["content"], "the table reaches the backend as text"
    assert len(store.messages(session_id)) == 6, "the new turn is added to the same session"


async def test_a_long_session_mounts_the_latest_turns_and_the_rest_on_demand(
    store: HistoryStore,
) -> None:
    session_id = stored_session(store, 1000)
    app = make_app(echo, history=store, session_id=session_id)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert len(app.query(ChatMessage)) < 20 * BATCH
        assert len(app.conversation.turns) == 1000
        log = app.query_one(MessageLog)
        mounted = len(app.query(ChatMessage))
        assert log.older_turns == 1000 - mounted // 2
        for _ in range(20):  # scrolling up into the older turns mounts them
            await pilot.press("pageup")
            await pilot.pause(0.2)
            if len(app.query(ChatMessage)) > mounted:
                break
        await app.workers.wait_for_complete()
        assert len(app.query(ChatMessage)) > mounted
        first = app.query(ChatMessage).first()
        assert first.prompt == f"question {log.older_turns}"
        assert not app.query("#earlier")  # no click-only button


async def test_the_session_list_opens_renames_deletes_and_searches(store: HistoryStore) -> None:
    first = stored_session(store, 1, title="about rivers")
    second = stored_session(store, 1, title="about mountains")
    app = make_app(echo, history=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionList)
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RenameSession)
        title_input = app.screen.query_one(Input)
        title_input.value = "renamed"
        await pilot.press("enter")
        await pilot.pause()
        assert {info.title for info in store.sessions()} == {"renamed", "about rivers"}
        await pilot.press("d")
        assert len(store.sessions()) == 2, "the first d only asks"
        await pilot.press("d")
        await pilot.pause()
        assert [info.id for info in store.sessions()] == [first]
        await pilot.press("slash")
        screen.query_one(Input).value = "question"
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SessionList)
        assert app.recorder is not None and app.recorder.session_id == first
        assert any("answer" in md.source or "table" in md.source for md in app.query(MarkdownLines))
    assert second not in [info.id for info in store.sessions()]


async def test_a_turn_after_its_session_was_deleted_elsewhere_starts_a_new_saved_one(
    store: HistoryStore,
) -> None:
    app = make_app(echo, history=store)
    async with app.run_test() as pilot:
        await send(pilot, "before the delete")
        await app.workers.wait_for_complete()
        (gone,) = store.sessions()
        store.delete_session(gone.id)  # another inkstream, or another SSH login, did it
        await send(pilot, "after the delete")
        await app.workers.wait_for_complete()
        for _ in range(20):
            await pilot.pause(0.1)
            if "deleted" in screen_text(app):
                break
        assert "deleted" in screen_text(app)  # said, not silent
    (info,) = store.sessions()
    assert info.title == "after the delete"
    assert next(m.value for m in store.messages(info.id)) == "after the delete"


async def test_a_search_hit_in_another_branch_opens_that_branch(store: HistoryStore) -> None:
    session_id = store.create_session(title="branched", backend="demo")
    prompt = store.add_message(session_id, "user", "which river?")
    hidden = store.add_message(session_id, "assistant", "the Danube, said the first answer")
    store.add_message(session_id, "assistant", "the Rhine, said the second", parent=prompt)
    recorder = Recorder("ok")
    app = make_app(recorder, history=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.open_session(session_id)  # as --resume: the active branch
        await pilot.pause()
        assert "Rhine" in screen_text(app) and "Danube" not in screen_text(app)
        (hit,) = store.search("danube")
        await app.open_session(hit.session_id, hit.message_id)  # as Ctrl+O's search
        await pilot.pause()
        assert "Danube" in screen_text(app) and "Rhine" not in screen_text(app)
        await send(pilot, "and then?")
        await app.workers.wait_for_complete()
    assert [m["content"] for m in recorder.calls[0]][:2] == [
        "which river?",
        "the Danube, said the first answer",
    ]
    branch = store.branch(session_id)
    assert [m.value for m in branch[:3]] == [
        "which river?",
        "the Danube, said the first answer",
        "and then?",
    ]
    assert branch[2].parent_id == hidden
