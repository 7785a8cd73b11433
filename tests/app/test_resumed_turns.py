"""A stored session reopened shows each turn as it ended: finished, failed with its
reason, stopped, interrupted, with its reasoning; and a failed answer is stored with its
reason, so that it comes back with it (issue 20, class 7: the history tests held only
finished turns, so resuming every turn as finished, or dropping the error or reasoning,
went unnoticed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Collapsible

from tests.app.helpers import failing, make_app
from tests.screen import screen_text
from tui.history import TurnStatus
from tui.history.store import HistoryStore
from tui.widgets.chat.chat_message import ChatMessage
from tui.widgets.chat.prompt_input import PromptInput

STORED = [
    ("finished", "The first answer.", "I thought it through.", None),
    ("failed", "Half an answer", "", "RuntimeError: the model fell over"),
    ("stopped", "Stopped here", "", None),
    ("interrupted", "Cut off", "", None),
]
"""Each stored answer: status, text, reasoning, error."""


def stored_session(path: Path) -> int:
    with HistoryStore(path) as store:
        session = store.create_session(title="every ending", backend="echo")
        for number, (status, text, reasoning, error) in enumerate(STORED, 1):
            store.add_message(session, "user", f"question {number}")
            store.add_message(
                session, "assistant", text, status=status, reasoning=reasoning, error=error
            )
        return session


async def echo(messages: list[dict[str, Any]]) -> Any:
    yield "echo"


def flat(app: Any) -> str:
    return " ".join(screen_text(app).split())


async def test_a_reopened_session_shows_how_each_turn_ended(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    session = stored_session(path)
    with HistoryStore(path) as store:
        app = make_app(echo, history=store, session_id=session)
        async with app.run_test(size=(100, 60)) as pilot:
            await pilot.pause()
            turns = app.conversation.turns
            assert [turn.status.value for turn in turns] == [row[0] for row in STORED]
            assert [turn.error for turn in turns] == [row[3] for row in STORED]
            assert [turn.reasoning for turn in turns] == [row[2] for row in STORED]
            screen = flat(app)
            assert "✖ failed: RuntimeError: the model fell over" in screen, screen_text(app)
            assert "■ stopped" in screen and "⚠ interrupted" in screen
            answers = app.query(ChatMessage).filter(".-assistant")
            assert [
                status for status in ("failed", "stopped", "interrupted") for a in answers
                if a.has_class(f"-{status}")
            ] == ["failed", "stopped", "interrupted"]  # fmt: skip
            folds = [fold.title for fold in app.query(Collapsible)]
            assert folds == ["Reasoning"], "the one answer with reasoning shows it"


async def test_a_failed_answer_is_stored_with_its_reason_and_comes_back_with_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.db"
    with HistoryStore(path) as store:
        app = make_app(failing, history=store)
        async with app.run_test(size=(100, 40)) as pilot:
            app.query_one(PromptInput).insert("go")
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            (turn,) = app.conversation.turns
            assert turn.status is TurnStatus.FAILED
            reason = turn.error
            assert reason is not None and "the model fell over" in reason
    with HistoryStore(path) as fresh:
        (info,) = fresh.sessions()
        (_, answer) = fresh.messages(info.id)
        assert (answer.status, answer.error) == ("failed", reason)
        again = make_app(echo, history=fresh, session_id=info.id)
        async with again.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            assert f"✖ failed: {reason}" in flat(again), screen_text(again)
