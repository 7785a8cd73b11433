"""What the next request carries after a turn that failed, was stopped or was cut short
(issue 18, bug 2): the real `openai` client in the app, against the loopback SSE server,
which records each request's messages.

A turn with no answer at all is not sent again (a prompt the server refused would make
every later prompt fail too, and a lone prompt puts two user messages in a row); a turn
with part of an answer is sent with what arrived.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

from tests.app.helpers import make_app
from tests.stream.sse_server import Script, SSEServer, api_error, chat_chunk
from tui.backends import Settings
from tui.backends.openai_compat import openai_chat
from tui.history import TurnStatus
from tui.widgets.chat.prompt_input import PromptInput

CONTENT = ["Rayleigh ", "scattering: ", "blue light ", "scatters ", "most."]


def answered() -> Script:
    return Script(chunks=[chat_chunk(piece) for piece in CONTENT] + [chat_chunk(finish="stop")])


def sent(sse: SSEServer, number: int) -> list[tuple[str, str]]:
    """The (role, content) pairs of the server's request `number` (from 0)."""
    return [(m["role"], m["content"]) for m in sse.requests[number][2]["messages"]]


def alternate(messages: list[tuple[str, str]]) -> bool:
    return all(a[0] != b[0] for a, b in itertools.pairwise(messages))


async def until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.01)


async def turn(pilot: Any, text: str) -> None:
    """Send `text` and wait for its answer to end."""
    pilot.app.query_one(PromptInput).insert(text)
    await pilot.press("enter")
    await until(lambda: pilot.app.conversation.turns and pilot.app.conversation.turns[-1].prompt)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_refused_prompt_is_not_sent_again(sse: SSEServer) -> None:
    sse.script = Script(status=400, error=api_error("the request exceeds the context size"))
    app = make_app(openai_chat, settings=Settings(model="m", base_url=sse.base_url))
    async with app.run_test() as pilot:
        await turn(pilot, "a prompt far too long")
        assert app.conversation.turns[0].status is TurnStatus.FAILED
        sse.script = answered()
        await turn(pilot, "a short one")
        sse.script = answered()
        await turn(pilot, "and another")
    assert sent(sse, 1) == [("user", "a short one")]
    assert sent(sse, 2) == [
        ("user", "a short one"),
        ("assistant", "".join(CONTENT)),
        ("user", "and another"),
    ]


async def test_an_answer_cut_part_way_is_sent_as_far_as_it_came(sse: SSEServer) -> None:
    sse.script = Script(chunks=[chat_chunk(piece) for piece in CONTENT], cut_after=2)
    app = make_app(openai_chat, settings=Settings(model="m", base_url=sse.base_url))
    async with app.run_test() as pilot:
        await turn(pilot, "why is the sky blue?")
        assert app.conversation.turns[0].status is TurnStatus.FAILED
        sse.script = answered()
        await turn(pilot, "go on")
    partial = "".join(CONTENT[:2])
    assert sent(sse, 1) == [
        ("user", "why is the sky blue?"),
        ("assistant", partial),
        ("user", "go on"),
    ]


async def test_a_stopped_answer_is_sent_with_what_arrived(sse: SSEServer) -> None:
    sse.script = Script(chunks=[chat_chunk(piece) for piece in CONTENT], hold_after=2)
    sse.script.ping_every = 0.05
    app = make_app(openai_chat, settings=Settings(model="m", base_url=sse.base_url))
    async with app.run_test() as pilot:
        app.query_one(PromptInput).insert("tell me everything")
        await pilot.press("enter")
        partial = "".join(CONTENT[:2])
        await until(lambda: app.conversation.turns and _streamed(app) == partial)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        assert app.conversation.turns[0].status is TurnStatus.STOPPED
        sse.release.set()
        sse.script = answered()
        await turn(pilot, "shorter, please")
    assert sent(sse, 1) == [
        ("user", "tell me everything"),
        ("assistant", partial),
        ("user", "shorter, please"),
    ]


async def test_a_turn_stopped_before_any_answer_is_not_sent(sse: SSEServer) -> None:
    sse.script = Script(chunks=[chat_chunk("late")], delay=5.0)
    app = make_app(openai_chat, settings=Settings(model="m", base_url=sse.base_url))
    async with app.run_test() as pilot:
        app.query_one(PromptInput).insert("never mind")
        await pilot.press("enter")
        await until(lambda: len(sse.requests) == 1)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        assert app.conversation.turns[0].status is TurnStatus.STOPPED
        sse.release.set()
        sse.script = answered()
        await turn(pilot, "hello")
    assert sent(sse, 1) == [("user", "hello")]


async def test_roles_alternate_after_any_mix_of_endings(sse: SSEServer) -> None:
    """Failed, cut, finished and failed again: each request alternates user/assistant."""
    scripts = [
        Script(status=500, error=api_error("boom", "server_error")),
        Script(chunks=[chat_chunk(piece) for piece in CONTENT], cut_after=1),
        answered(),
        Script(status=400, error=api_error("no")),
        Script(status=400, error=api_error("no again")),
        answered(),
    ]
    app = make_app(openai_chat, settings=Settings(model="m", base_url=sse.base_url))
    async with app.run_test() as pilot:
        for number, script in enumerate(scripts):
            sse.script = script
            await turn(pilot, f"prompt {number}")
    requests = [sent(sse, number) for number in range(len(scripts))]
    assert all(alternate(messages) for messages in requests), requests
    assert [m[1] for m in requests[-1] if m[0] == "user"] == ["prompt 1", "prompt 2", "prompt 5"]


def _streamed(app: Any) -> str:
    from tui.widgets.chat.chat_message import ChatMessage

    answers = app.query(ChatMessage).filter(".-assistant")
    if not answers or answers.last().body is None:
        return ""
    return answers.last().body.response.value
