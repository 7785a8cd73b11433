"""Paging through a long chat: Page Down shows every answer in turn, Home the first
prompt and End the last answer, with every answer's text painted as lines."""

from __future__ import annotations

from typing import Any

import pandas as pd
from textual.pilot import Pilot

from tests.app.helpers import make_app
from tests.screen import screen_text
from tui.backends.echo import echo
from tui.history import Turn, TurnStatus
from tui.widgets.chat.message_log import MessageLog

TURNS = 12


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
    app = pilot.app
    log = app.query_one(MessageLog)
    await log.mount_all([w for turn in turns() for w in app._turn_widgets(turn)])  # type: ignore[attr-defined]
    await pilot.pause()
    return log


async def test_page_down_shows_every_answer_in_order_and_home_and_end_work() -> None:
    app = make_app(echo)
    async with app.run_test(size=(80, 24)) as pilot:
        log = await show(pilot)
        log.scroll_home(animate=False)
        await pilot.pause()
        assert "question 0" in screen_text(app)
        seen: list[int] = []
        for _ in range(200):
            text = screen_text(app)
            seen += [n for n in range(TURNS) if f"Answer {n}." in text and n not in seen]
            if log.scroll_y >= log.max_scroll_y:
                break
            log.scroll_page_down(animate=False)
            await pilot.pause()
        assert seen == list(range(TURNS))
        log.scroll_home(animate=False)
        await pilot.pause()
        assert "question 0" in screen_text(app)
        log.scroll_end(animate=False)
        await pilot.pause()
        assert f"point {TURNS - 1}.7" in screen_text(app)
