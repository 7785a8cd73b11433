"""Every entry of the catalogue as the answer of a full `ChatApp` turn, with a real SQLite
history: the turn ends as it should, what arrived is stored, a failure is one line on the
screen and in the history, the prompt takes input after, and nothing leaks raw."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.app.helpers import make_app
from tests.hostile.catalogue import CATALOGUE, Hostile
from tests.hostile.harness import SIZE, leaks, recording, type_into
from tests.screen import screen_text
from tui.history import TurnStatus
from tui.history.store import HistoryStore
from tui.widgets.chat.chat_message import ChatMessage
from tui.widgets.chat.prompt_input import PromptInput

LIMIT = 60


def texts(value: Any) -> list[str]:
    """The text parts of a response, in order."""
    return [value] if isinstance(value, str) else [item for item in value if isinstance(item, str)]


def storable(text: str) -> str:
    """The text as SQLite can hold it: UTF-8, with a lone surrogate kept as its escape."""
    return text.encode("utf-8", "backslashreplace").decode()


def part_count(value: Any) -> int:
    return (1 if value else 0) if isinstance(value, str) else len(value)


@pytest.mark.parametrize("entry", CATALOGUE, ids=[entry.id for entry in CATALOGUE])
async def test_a_hostile_answer_in_a_chat_turn(entry: Hostile, tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        app = make_app(lambda messages: entry.make(), history=store)
        written = recording(app)
        async with app.run_test(headless=False, size=SIZE) as pilot:
            prompt = app.query_one(PromptInput)
            prompt.insert("go")
            await pilot.press("enter")
            await asyncio.wait_for(app.workers.wait_for_complete(), LIMIT)
            await pilot.pause()
            (turn,) = app.conversation.turns
            answer = app.query(ChatMessage).filter(".-assistant").first()
            if entry.raises is None:
                assert turn.status is TurnStatus.FINISHED
            else:
                assert turn.status is TurnStatus.FAILED
                assert turn.error is not None and "\n" not in turn.error
                assert entry.raises.__name__ in turn.error
                status = answer.query_one(".message-status")
                assert turn.error in str(status.render())
                assert status.size.height == 1, "the failure is one line"
            assert texts(turn.response) == texts(entry.value)
            assert part_count(turn.response) == part_count(entry.value)
            assert await type_into(pilot, prompt, "still here") == "still here"
            screen = screen_text(app)
        _, stored = store.messages(store.sessions()[0].id)
        assert stored.status == turn.status.value
        assert stored.error == turn.error
        assert texts(stored.value) == [storable(text) for text in texts(entry.value)]
        assert part_count(stored.value) == part_count(entry.value)
    assert not leaks("".join(written))
    assert "still here" in screen
