"""ChatApp driven with Pilot: send, stop, fail, recall, and what the backend receives."""

from __future__ import annotations

import asyncio
import threading

from textual.widgets import Collapsible

from tests.app.helpers import Gate, Recorder, failing, make_app
from tui.backends.echo import echo
from tui.history import TurnStatus
from tui.widgets.chat.chat_message import ChatMessage
from tui.widgets.chat.prompt_input import PromptInput
from tui.widgets.transcript import MarkdownLines


async def send(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type `text` into the prompt and press Enter."""
    pilot.app.query_one(PromptInput).insert(text)
    await pilot.press("enter")


async def test_a_prompt_streams_an_answer_into_the_log() -> None:
    """Echo returns the prompt; it is stored, shown, and the prompt box is cleared."""
    app = make_app(echo)
    async with app.run_test() as pilot:
        await send(pilot, "hello there, inkstream")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (turn,) = app.conversation.turns
        assert turn.prompt == "hello there, inkstream"
        assert turn.response == "hello there, inkstream"
        assert turn.status is TurnStatus.FINISHED
        answer = app.query(ChatMessage).filter(".-assistant").first()
        markdown = answer.query_one(MarkdownLines)
        assert markdown.source == "hello there, inkstream"
        assert app.query_one(PromptInput).text == ""
        assert not answer.query(".cursor"), "the cursor shows only while text streams"


async def test_esc_stops_the_answer_and_keeps_what_arrived() -> None:
    """The partial answer stays on screen, marked stopped, and is stored."""
    gate = Gate()
    app = make_app(gate)
    async with app.run_test() as pilot:
        await send(pilot, "tell me everything")
        await asyncio.wait_for(gate.started.wait(), 5)
        await pilot.pause()
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (turn,) = app.conversation.turns
        assert turn.status is TurnStatus.STOPPED
        assert turn.response == gate.first
        assert gate.closed, "stopping closes the stream"
        answer = app.query(ChatMessage).filter(".-assistant").first()
        assert answer.has_class("-stopped")
        assert answer.query_one(MarkdownLines).source == gate.first


async def test_a_failing_backend_shows_one_line_and_the_app_goes_on() -> None:
    """The partial answer is kept, the error is one line, and the next turn works."""
    app = make_app(failing)
    async with app.run_test() as pilot:
        await send(pilot, "go")
        await app.workers.wait_for_complete()
        await pilot.pause()
        turn = app.conversation.turns[0]
        assert turn.status is TurnStatus.FAILED
        assert turn.response == "so far, so good"
        assert turn.error == "ValueError: the model fell over"
        answer = app.query(ChatMessage).filter(".-assistant").first()
        assert answer.has_class("-failed")
        status = answer.query_one(".message-status")
        assert "the model fell over" in str(status.render())
        app.backend = echo
        await send(pilot, "still alive?")
        await app.workers.wait_for_complete()
        assert app.conversation.turns[1].response == "still alive?"


async def test_the_backend_gets_the_conversation_as_openai_messages() -> None:
    """Earlier answers arrive as assistant messages, non-text parts summarised as text."""
    recorder = Recorder("Here is a dict: ", {"answer": 42})
    app = make_app(recorder)
    async with app.run_test() as pilot:
        await send(pilot, "first question")
        await app.workers.wait_for_complete()
        await send(pilot, "second question")
        await app.workers.wait_for_complete()
    first, second = recorder.calls
    assert first == [{"role": "user", "content": "first question"}]
    assert [m["role"] for m in second] == ["user", "assistant", "user"]
    assert second[1]["content"] == 'Here is a dict: \n{"answer": 42}'
    assert second[2]["content"] == "second question"


async def test_a_sync_generator_runs_off_the_event_loop_thread() -> None:
    """The UI thread never runs a sync backend's code."""
    recorder = Recorder("a", "b")
    app = make_app(recorder)
    async with app.run_test() as pilot:
        await send(pilot, "where do you run?")
        await app.workers.wait_for_complete()
    assert recorder.threads
    assert all(thread is not threading.main_thread() for thread in recorder.threads)


async def test_up_and_down_recall_earlier_prompts() -> None:
    """Up on the first line walks back, Down walks forward to the unsent draft."""
    app = make_app(echo)
    async with app.run_test() as pilot:
        prompt = app.query_one(PromptInput)
        for text in ("first", "second"):
            await send(pilot, text)
            await app.workers.wait_for_complete()
        prompt.insert("draft")
        await pilot.press("up")
        assert prompt.text == "second"
        await pilot.press("up")
        assert prompt.text == "first"
        await pilot.press("up")
        assert prompt.text == "first", "there is nothing before the first prompt"
        await pilot.press("down")
        assert prompt.text == "second"
        await pilot.press("down")
        assert prompt.text == "draft"


async def test_newline_keys_insert_a_newline_and_enter_sends() -> None:
    """Ctrl+J starts a new line, and so do Shift+Enter and Alt+Enter where a terminal sends
    them distinctly; Enter sends all lines."""
    app = make_app(echo)
    async with app.run_test() as pilot:
        prompt = app.query_one(PromptInput)
        prompt.insert("one")
        for key in ("shift+enter", "alt+enter", "ctrl+j"):
            await pilot.press(key)
        prompt.insert("two")
        assert prompt.text == "one\n\n\ntwo"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        assert app.conversation.turns[0].prompt == "one\n\n\ntwo"


async def test_reasoning_shows_folded_under_the_answer() -> None:
    """Reasoning from a real OpenAI chunk is kept out of the answer and shown collapsed."""
    from openai.types.chat import ChatCompletionChunk

    def chunk(**delta: object) -> ChatCompletionChunk:
        return ChatCompletionChunk.model_validate(
            {
                "id": "c1",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "m",
                "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
            }
        )

    def backend(messages: list[dict[str, object]]) -> list[ChatCompletionChunk]:
        return [chunk(reasoning_content="Let me think. "), chunk(content="The answer.")]

    app = make_app(backend)
    async with app.run_test() as pilot:
        await send(pilot, "think")
        await app.workers.wait_for_complete()
        await pilot.pause()
        turn = app.conversation.turns[0]
        assert turn.response == "The answer."
        assert turn.reasoning == "Let me think. "
        fold = app.query_one(Collapsible)
        assert fold.collapsed
        assert fold.title == "Reasoning"


async def test_a_second_prompt_while_streaming_is_refused_not_lost() -> None:
    """The prompt is not sent twice at once; the user is told to stop first."""
    gate = Gate()
    app = make_app(gate)
    async with app.run_test() as pilot:
        await send(pilot, "first")
        await asyncio.wait_for(gate.started.wait(), 5)
        await send(pilot, "second")
        await pilot.pause()
        assert len(app.conversation.turns) == 1
        assert app.query_one(PromptInput).text == "second"
        gate.release.set()
        await app.workers.wait_for_complete()
        assert app.conversation.turns[0].response == gate.first + "the rest"


async def test_the_log_follows_new_output_until_the_user_scrolls_up() -> None:
    """Anchored at the end while streaming; scrolled up, it stays where the user put it."""
    from tui.widgets.chat.message_log import MessageLog

    long_answer = "\n\n".join(f"Paragraph {index}." for index in range(40))
    gate = Gate(long_answer)
    app = make_app(gate)
    async with app.run_test(size=(60, 20)) as pilot:
        log = app.query_one(MessageLog)
        await send(pilot, "talk")
        await asyncio.wait_for(gate.started.wait(), 5)
        await pilot.pause()
        assert log.max_scroll_y > 0
        assert log.scroll_y == log.max_scroll_y, "the log follows the answer"
        log.scroll_home(animate=False)
        await pilot.pause()
        gate.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert log.scroll_y == 0, "scrolled up, the log is left where the user put it"


async def test_page_up_and_down_in_the_prompt_scroll_the_chat() -> None:
    from tui.widgets.chat.message_log import MessageLog

    long_answer = "\n\n".join(f"Paragraph {index}." for index in range(60))
    app = make_app(Gate(long_answer))
    async with app.run_test(size=(60, 20)) as pilot:
        log = app.query_one(MessageLog)
        await send(pilot, "talk")
        await pilot.pause()
        assert app.focused is app.query_one(PromptInput)
        end = log.scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert log.scroll_y == end - log.scrollable_content_region.height
        await pilot.press("pagedown")
        await pilot.pause()
        assert log.scroll_y == end
        app.action_stop()


async def test_the_footer_shows_a_spinner_then_the_typing_rate() -> None:
    """Before the first token: a spinner and 'waiting'; while text streams: chars/s."""
    from tui.widgets.chat.turn_indicator import TurnIndicator

    first_token = asyncio.Event()
    gate = Gate("streaming text ")

    async def slow_start(messages: list[dict[str, object]]) -> object:
        await first_token.wait()
        async for chunk in gate(messages):
            yield chunk

    app = make_app(slow_start)
    async with app.run_test() as pilot:
        indicator = app.query_one(TurnIndicator)
        await send(pilot, "hi")
        await pilot.pause(0.15)
        assert "waiting for the first token" in str(indicator.render())
        first_token.set()
        await asyncio.wait_for(gate.started.wait(), 5)
        await pilot.pause(0.15)
        assert "chars/s" in str(indicator.render())
        gate.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(indicator.render()) == ""
