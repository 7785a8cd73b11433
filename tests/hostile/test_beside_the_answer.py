"""Hostile text beside the answer: the user's own prompt, reasoning and tool calls, and the
session list's titles, backends and search snippets. Each reaches the screen through a
recording driver that keeps every byte the app writes; the payload must show as visible
stand-ins and never raw (issue 20, class 7: removing `printable` from any of these went
unnoticed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Collapsible

from tests.app.helpers import make_app
from tests.hostile.harness import SIZE, leaks, recording
from tests.hostile.pty_capture import HOSTILE_TEXT
from tests.screen import screen_text
from tui.history.store import HistoryStore
from tui.widgets.chat.prompt_input import PromptInput

SHOWN = ("␛]0;PWN␇", "␛[2J", "\\x9b31m", "\\u202eevil")
"""Parts of `HOSTILE_TEXT` as the screen shows them once neutralised."""


def flat(app: Any) -> str:
    return " ".join(screen_text(app).split())


def assert_shown_not_raw(app: Any, written: list[str]) -> None:
    assert leaks("".join(written)) == []
    screen = flat(app)
    for part in SHOWN:
        assert part in screen, f"{part!r} not on screen:\n{screen_text(app)}"


async def test_the_users_own_prompt_is_shown_neutralised() -> None:
    async def answer(messages: list[dict[str, Any]]) -> Any:
        yield "ok"

    app = make_app(answer)
    written = recording(app)
    async with app.run_test(headless=False, size=SIZE) as pilot:
        app.query_one(PromptInput).insert(HOSTILE_TEXT)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "\x1b]0;PWN\x07" in app.conversation.turns[0].prompt, "kept as it was typed"
        assert_shown_not_raw(app, written)


def openai_chunk(**delta: object) -> Any:
    from openai.types.chat import ChatCompletionChunk

    return ChatCompletionChunk.model_validate(
        {
            "id": "c1",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
        }
    )


class ForeignCall:
    """A tool call of a backend's own making, whose `repr` is what it is given."""

    def __init__(self, shown: str) -> None:
        self.shown = shown

    def __repr__(self) -> str:
        return self.shown


def calls_chunk(*calls: ForeignCall) -> Any:
    """An OpenAI chunk carrying `calls` as they are, unvalidated, as a backend may send."""
    from openai.types.chat import ChatCompletionChunk
    from openai.types.chat.chat_completion_chunk import Choice, ChoiceDelta

    delta = ChoiceDelta.model_construct(tool_calls=list(calls))
    return ChatCompletionChunk.model_construct(
        id="c1",
        object="chat.completion.chunk",
        created=0,
        model="m",
        choices=[Choice.model_construct(index=0, delta=delta, finish_reason=None)],
    )


@pytest.mark.parametrize("pieces", [1, 2], ids=["in-one-chunk", "grown-over-two"])
async def test_reasoning_and_tool_calls_are_shown_neutralised(pieces: int) -> None:
    """In one chunk, each is drawn once; grown over two, the second chunk redraws it."""

    def backend(messages: list[dict[str, object]]) -> list[Any]:
        if pieces == 1:
            return [
                openai_chunk(reasoning_content="thinking " + HOSTILE_TEXT),
                calls_chunk(ForeignCall("call " + HOSTILE_TEXT)),
                openai_chunk(content="The answer."),
            ]
        return [
            openai_chunk(reasoning_content="thinking "),
            calls_chunk(ForeignCall("first call")),
            openai_chunk(reasoning_content=HOSTILE_TEXT),
            calls_chunk(ForeignCall("call " + HOSTILE_TEXT)),
            openai_chunk(content="The answer."),
        ]

    app = make_app(backend)
    written = recording(app)
    async with app.run_test(headless=False, size=(160, 60)) as pilot:
        app.query_one(PromptInput).insert("think")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        turn = app.conversation.turns[0]
        assert HOSTILE_TEXT in turn.reasoning
        assert len(turn.tool_calls) == pieces
        for fold in app.query(Collapsible):
            await pilot.click(fold)  # open each fold: what is folded is not drawn
            await pilot.pause()
        assert all(not fold.collapsed for fold in app.query(Collapsible))
        screen = flat(app)
        assert "thinking ␛]52;c;UFdO␇" in screen, screen_text(app)
        assert "call ␛]52;c;UFdO␇" in screen, screen_text(app)
        assert_shown_not_raw(app, written)


TITLE = "title \x1b]0;PWN\x07 \u202eevil \x9b31m"
BACKEND = "be\x1b[2J\x07 \u2066x"


def hostile_history(path: Path) -> None:
    with HistoryStore(path) as store:
        session = store.create_session(title=TITLE, backend=BACKEND)
        store.add_message(session, "user", "find the needle " + HOSTILE_TEXT)
        store.add_message(session, "assistant", "ok")


async def test_session_titles_backends_and_search_snippets_are_shown_neutralised(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.db"
    hostile_history(path)

    async def answer(messages: list[dict[str, Any]]) -> Any:
        yield "ok"

    with HistoryStore(path) as store:
        app = make_app(answer, history=store)
        written = recording(app)
        async with app.run_test(headless=False, size=(200, 40)) as pilot:
            await pilot.press("ctrl+o")
            await pilot.pause()
            screen = flat(app)
            assert "title ␛]0;PWN␇ \\u202eevil \\x9b31m" in screen, screen_text(app)
            assert "be␛[2J␇ \\u2066x" in screen, screen_text(app)
            assert leaks("".join(written)) == []
            written.clear()
            await pilot.press("/")
            await pilot.pause()
            await pilot.press(*"needle")
            for _ in range(200):  # the search runs as the user types
                await pilot.pause(0.05)
                if "needle ␛]52" in flat(app):
                    break
            screen = flat(app)  # the hit is highlighted, its snippet's escapes made visible
            assert "needle ␛]52;c;UFdO␇" in screen, screen_text(app)
            assert leaks("".join(written)) == []
