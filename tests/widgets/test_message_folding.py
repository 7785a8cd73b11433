"""A long chat folds the answers far from the screen and unfolds them as they come back,
and the screen the user sees is the same as with every answer kept."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pandas as pd
import pytest
from textual.pilot import Pilot

import tui.widgets.message_log as message_log
from tests.app.helpers import make_app
from tests.screen import screen_lines
from tui.backends.echo import echo
from tui.history import Turn, TurnStatus
from tui.widgets.chat_message import ChatMessage
from tui.widgets.folded_runs import FoldedRun
from tui.widgets.message_log import MessageLog
from tui.widgets.stream_view import StreamView

TURNS = 10
NEAR = message_log.NEAR


def turns() -> list[Turn]:
    frame = pd.DataFrame({"city": ["Oslo", "Lima"], "rain": [0.5, 1.25]})
    return [
        Turn(
            f"question {n}",
            [f"Answer {n}.\n\n" + "\n".join(f"- point {n}.{i}" for i in range(8)), frame],
            status=TurnStatus.FINISHED,
        )
        for n in range(TURNS)
    ]


async def show(pilot: Pilot[Any]) -> MessageLog:
    """Mount the turns as a live chat would and let the log settle at its end."""
    app = pilot.app
    log = app.query_one(MessageLog)
    await log.mount_all([w for turn in turns() for w in app._turn_widgets(turn)])  # type: ignore[attr-defined]
    log.scroll_end(animate=False)
    await pilot.pause()
    await log._refold()
    await pilot.pause()
    return log


def answers(log: MessageLog) -> list[ChatMessage]:
    return [m for m in log.query_children(ChatMessage) if m.role == "assistant"]


async def top_screen(fold: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[bool]]:
    monkeypatch.setattr(message_log, "NEAR", NEAR if fold else 1000.0)
    app = make_app(echo)
    async with app.run_test(size=(80, 24)) as pilot:
        log = await show(pilot)
        folded_at_end = [m.folded for m in answers(log)]
        log.scroll_home(animate=False)
        await pilot.pause()
        await log._refold()
        await pilot.pause()
        return screen_lines(app), folded_at_end


async def test_far_answers_are_folded_and_the_top_unfolds_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept, never_folded = await top_screen(False, monkeypatch)
    assert not any(never_folded)
    shown, folded = await top_screen(True, monkeypatch)
    assert folded[0] and not folded[-1], "the first answers are folded, the last is not"
    assert shown == kept
    assert any("Answer 0." in line for line in shown)


async def test_a_folded_answer_holds_no_widgets_and_keeps_its_height() -> None:
    app = make_app(echo)
    async with app.run_test(size=(80, 24)) as pilot:
        log = await show(pilot)
        first = answers(log)[0]
        assert first.folded
        assert first.body is None
        assert not first.query(StreamView), "its widgets are released"
        height = first.outer_size.height
        await first.unfold()
        await pilot.pause()
        assert first.body is not None and first.body.query("FrameTable")
        assert first.outer_size.height == height


async def test_an_answer_still_streaming_is_never_folded() -> None:
    app = make_app(echo)
    async with app.run_test(size=(80, 24)) as pilot:
        answer = ChatMessage("assistant", author="echo")
        await app.query_one(MessageLog).mount(answer)
        await pilot.pause()
        await answer.fold()
        assert not answer.folded and answer.body is not None


async def pages_down(fold: bool, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The screen at each page from the top to the end of the log."""
    monkeypatch.setattr(message_log, "NEAR", NEAR if fold else 1000.0)
    app = make_app(echo)
    screens = []
    async with app.run_test(size=(80, 24)) as pilot:
        log = await show(pilot)
        if fold:
            assert log.query_children(FoldedRun), "the far turns are hidden behind blanks"
        log.scroll_home(animate=False)
        while True:
            await pilot.pause()
            await log._refold()
            await pilot.pause()
            screens.append(screen_lines(app))
            if log.scroll_y >= log.max_scroll_y:
                return screens
            log.scroll_page_down(animate=False)


async def test_paging_through_a_folded_log_shows_what_an_unfolded_one_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept = await pages_down(False, monkeypatch)
    shown = await pages_down(True, monkeypatch)
    assert len(kept) > 4
    assert shown == kept


async def test_a_narrower_log_lays_hidden_prompts_out_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hidden prompts keep the height they had; a new width shows them all again first."""
    long_prompts = [Turn(" ".join(["word"] * 40), t.response, status=t.status) for t in turns()]

    async def top(fold: bool) -> tuple[list[str], int]:
        monkeypatch.setattr(message_log, "NEAR", NEAR if fold else 1000.0)
        app = make_app(echo)
        async with app.run_test(size=(100, 24)) as pilot:
            log = app.query_one(MessageLog)
            await log.mount_all([w for t in long_prompts for w in app._turn_widgets(t)])
            log.scroll_end(animate=False)
            await pilot.pause()
            await log._refold()
            await pilot.resize_terminal(60, 24)
            await pilot.pause()
            log.scroll_home(animate=False)
            await pilot.pause()
            await log._refold()
            await pilot.pause()
            return screen_lines(app), log.virtual_size.height

    assert await top(True) == await top(False)


async def test_folded_answers_free_their_widgets() -> None:
    gc.collect()
    kept = [o for o in gc.get_objects() if isinstance(o, StreamView)]  # other tests', held
    earlier = {id(o) for o in kept}  # so that no new widget takes one of their ids
    app = make_app(echo)
    async with app.run_test(size=(80, 24)) as pilot:
        log = await show(pilot)
        shown = [m.body for m in answers(log) if m.body is not None]
        assert len(shown) < TURNS
        gc.collect()
        alive = [o for o in gc.get_objects() if isinstance(o, StreamView) and id(o) not in earlier]
        assert len(alive) == len(shown), "nothing keeps the widgets of a folded answer"


async def test_folding_and_unfolding_never_change_the_height_of_the_message() -> None:
    """No layout while the answer is built or removed sees both it and its blank."""
    app = make_app(echo)
    async with app.run_test(size=(80, 24)) as pilot:
        log = await show(pilot)
        last = answers(log)[-1]
        height = last.outer_size.height
        seen: list[int] = []
        app.screen.screen_layout_refresh_signal.subscribe(
            app.screen, lambda _: seen.append(last.outer_size.height)
        )
        for step in (last.fold, last.unfold):
            task = asyncio.create_task(step())
            while not task.done():
                await asyncio.sleep(0)
                app.screen._refresh_layout()  # a layout at every turn of the loop
            await task
            await pilot.pause()
        assert not last.folded
        assert len(seen) > 4, "layouts while folding and unfolding"
        assert set(seen) == {height}


async def test_refolds_and_unfolds_at_once_leave_each_answer_one_body() -> None:
    app = make_app(echo)
    async with app.run_test(size=(80, 24)) as pilot:
        log = await show(pilot)
        log.scroll_home(animate=False)
        first = answers(log)[0]
        await asyncio.gather(log._refold(), log._refold(), first.unfold(), first.unfold())
        await pilot.pause()
        assert not first.folded
        for answer in answers(log):
            bodies = answer.query_children(StreamView) if answer.body else answer.query_children()
            assert len(bodies) == 1
