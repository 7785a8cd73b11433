"""Adapting one chunk: real openai, anthropic and langchain-core objects, and plain values."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from anthropic.lib.streaming import TextEvent
from anthropic.types import (
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawContentBlockStopEvent,
    RawMessageDeltaEvent,
    RawMessageStartEvent,
    RawMessageStopEvent,
)
from anthropic.types.beta import BetaRawContentBlockDeltaEvent
from langchain_core.messages import AIMessageChunk, HumanMessage
from openai.types.chat import ChatCompletionChunk
from openai.types.chat.chat_completion_chunk import ChoiceDeltaToolCall
from openai.types.responses import (
    Response as OpenAIResponse,
)
from openai.types.responses import (
    ResponseCompletedEvent,
    ResponseCreatedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseReasoningSummaryTextDeltaEvent,
    ResponseReasoningTextDeltaEvent,
    ResponseRefusalDeltaEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
)

from tui.stream import Part, PartKind, Response, adapt

# --- builders for real SDK objects ---------------------------------------------------------


def chat_chunk(delta: dict[str, Any] | None = None, *, choices: bool = True) -> ChatCompletionChunk:
    """A validated `ChatCompletionChunk` whose first choice carries `delta`."""
    return ChatCompletionChunk.model_validate(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 1_700_000_000,
            "model": "gpt-test",
            "choices": [{"index": 0, "delta": delta or {}, "finish_reason": None}]
            if choices
            else [],
        }
    )


def tool_call_delta(arguments: str, *, name: str | None = None) -> dict[str, Any]:
    """The JSON of one streamed tool-call delta."""
    function: dict[str, Any] = {"arguments": arguments}
    if name:
        function["name"] = name
    return {"index": 0, "id": "call_1" if name else None, "type": "function", "function": function}


def responses_event(cls: type[Any], **fields: Any) -> Any:
    """A validated OpenAI Responses event with the usual bookkeeping fields."""
    base = {"item_id": "msg_1", "output_index": 0, "sequence_number": 3}
    return cls.model_validate({**base, **fields})


def openai_response() -> OpenAIResponse:
    """A minimal, validated OpenAI `Response` for created/completed events."""
    return OpenAIResponse.model_validate(
        {
            "id": "resp_1",
            "object": "response",
            "created_at": 1.0,
            "model": "gpt-test",
            "output": [],
            "parallel_tool_calls": True,
            "tool_choice": "auto",
            "tools": [],
        }
    )


def anthropic_delta(delta: dict[str, Any]) -> RawContentBlockDeltaEvent:
    """A validated Anthropic `content_block_delta` event."""
    return RawContentBlockDeltaEvent.model_validate(
        {"type": "content_block_delta", "index": 0, "delta": delta}
    )


ANTHROPIC_MESSAGE = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude-test",
    "content": [],
    "stop_reason": None,
    "stop_sequence": None,
    "usage": {"input_tokens": 3, "output_tokens": 0},
}

# --- OpenAI Chat Completions ---------------------------------------------------------------


def test_openai_chat_content_gives_text() -> None:
    """`choices[0].delta.content` is the answer text."""
    assert adapt(chat_chunk({"content": "Hel"})) == [Part(PartKind.TEXT, "Hel")]


@pytest.mark.parametrize(
    "chunk",
    [
        pytest.param(chat_chunk(choices=False), id="empty-choices-usage-chunk"),
        pytest.param(chat_chunk({"role": "assistant"}), id="content-none"),
        pytest.param(chat_chunk({"role": "assistant", "content": ""}), id="content-empty"),
        pytest.param(chat_chunk({}), id="empty-delta"),
        pytest.param(
            ChatCompletionChunk.construct(
                id="chatcmpl-1",
                object="chat.completion.chunk",
                created=1,
                model="gpt-test",
                choices=[{"index": 0, "delta": None, "finish_reason": "stop"}],
            ),
            id="delta-none",
        ),
    ],
)
def test_openai_chat_chunks_without_content_give_nothing(chunk: ChatCompletionChunk) -> None:
    """Empty choices, a `None` delta and `None` or empty content give nothing."""
    assert adapt(chunk) == []


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_openai_chat_reasoning_fields_give_reasoning(field: str) -> None:
    """`delta.reasoning_content` (DeepSeek, vLLM) and `delta.reasoning` give reasoning."""
    chunk = chat_chunk({"role": "assistant", "content": None, field: "Let me think"})
    assert getattr(chunk.choices[0].delta, field) == "Let me think"  # the SDK keeps extras
    assert adapt(chunk) == [Part(PartKind.REASONING, "Let me think")]


def test_openai_chat_tool_calls_give_a_tool_call_part() -> None:
    """`delta.tool_calls` gives a tool-call part carrying the SDK's tool-call deltas."""
    chunk = chat_chunk({"tool_calls": [tool_call_delta('{"city"', name="weather")]})
    (part,) = adapt(chunk)
    assert part.kind is PartKind.TOOL_CALL
    assert part.value == chunk.choices[0].delta.tool_calls
    assert isinstance(part.value[0], ChoiceDeltaToolCall)


def test_openai_chat_lookalike_from_another_module_is_an_object() -> None:
    """Recognition is by module and class name: a same-named class elsewhere is an object."""

    class ChatCompletionChunk:
        choices: list[Any] = []

    lookalike = ChatCompletionChunk()
    assert adapt(lookalike) == [Part(PartKind.OBJECT, lookalike)]


# --- OpenAI Responses ----------------------------------------------------------------------


def test_responses_text_delta_gives_text() -> None:
    """`response.output_text.delta` gives its delta as text."""
    event = responses_event(
        ResponseTextDeltaEvent,
        type="response.output_text.delta",
        content_index=0,
        delta="Bonjour",
        logprobs=[],
    )
    assert adapt(event) == [Part(PartKind.TEXT, "Bonjour")]


def test_responses_refusal_delta_gives_text() -> None:
    """`response.refusal.delta` is shown as answer text."""
    event = responses_event(
        ResponseRefusalDeltaEvent, type="response.refusal.delta", content_index=0, delta="I can't"
    )
    assert adapt(event) == [Part(PartKind.TEXT, "I can't")]


def test_responses_reasoning_deltas_give_reasoning() -> None:
    """Reasoning text and reasoning summary deltas give reasoning parts."""
    text = responses_event(
        ResponseReasoningTextDeltaEvent,
        type="response.reasoning_text.delta",
        content_index=0,
        delta="step 1",
    )
    summary = responses_event(
        ResponseReasoningSummaryTextDeltaEvent,
        type="response.reasoning_summary_text.delta",
        summary_index=0,
        delta="in short",
    )
    assert adapt(text) == [Part(PartKind.REASONING, "step 1")]
    assert adapt(summary) == [Part(PartKind.REASONING, "in short")]


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(
            ResponseCreatedEvent.model_validate(
                {"type": "response.created", "sequence_number": 0, "response": openai_response()}
            ),
            id="created",
        ),
        pytest.param(
            ResponseCompletedEvent.model_validate(
                {"type": "response.completed", "sequence_number": 9, "response": openai_response()}
            ),
            id="completed",
        ),
        pytest.param(
            responses_event(
                ResponseTextDoneEvent,
                type="response.output_text.done",
                content_index=0,
                text="Bonjour",
                logprobs=[],
            ),
            id="text-done-repeats-the-whole-text",
        ),
        pytest.param(
            responses_event(
                ResponseFunctionCallArgumentsDeltaEvent,
                type="response.function_call_arguments.delta",
                delta='{"a": 1}',
            ),
            id="function-call-arguments",
        ),
        pytest.param(
            responses_event(
                ResponseTextDeltaEvent,
                type="response.output_text.delta",
                content_index=0,
                delta="",
                logprobs=[],
            ),
            id="empty-text-delta",
        ),
    ],
)
def test_responses_other_events_give_nothing(event: Any) -> None:
    """Every other Responses event, and an empty delta, gives nothing."""
    assert adapt(event) == []


# --- Anthropic -----------------------------------------------------------------------------


def test_anthropic_text_delta_gives_text() -> None:
    """`content_block_delta` with a `text_delta` gives text."""
    event = anthropic_delta({"type": "text_delta", "text": "Hi there"})
    assert adapt(event) == [Part(PartKind.TEXT, "Hi there")]


def test_anthropic_thinking_delta_gives_reasoning() -> None:
    """`thinking_delta` gives reasoning."""
    event = anthropic_delta({"type": "thinking_delta", "thinking": "hmm"})
    assert adapt(event) == [Part(PartKind.REASONING, "hmm")]


def test_anthropic_beta_text_delta_gives_text() -> None:
    """The beta namespace's events are adapted the same way."""
    event = BetaRawContentBlockDeltaEvent.model_validate(
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "β"}}
    )
    assert adapt(event) == [Part(PartKind.TEXT, "β")]


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(
            RawMessageStartEvent.model_validate(
                {"type": "message_start", "message": ANTHROPIC_MESSAGE}
            ),
            id="message_start",
        ),
        pytest.param(
            RawContentBlockStartEvent.model_validate(
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "text", "text": "", "citations": None},
                }
            ),
            id="content_block_start",
        ),
        pytest.param(
            anthropic_delta({"type": "input_json_delta", "partial_json": '{"q": '}),
            id="input_json_delta",
        ),
        pytest.param(
            anthropic_delta({"type": "signature_delta", "signature": "c2ln"}), id="signature_delta"
        ),
        pytest.param(anthropic_delta({"type": "text_delta", "text": ""}), id="empty-text_delta"),
        pytest.param(
            RawContentBlockStopEvent.model_validate({"type": "content_block_stop", "index": 0}),
            id="content_block_stop",
        ),
        pytest.param(
            RawMessageDeltaEvent.model_validate(
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": 5},
                }
            ),
            id="message_delta",
        ),
        pytest.param(
            RawMessageStopEvent.model_validate({"type": "message_stop"}), id="message_stop"
        ),
        pytest.param(
            TextEvent.model_validate({"type": "text", "text": "Hi", "snapshot": "Hi"}),
            id="helper-TextEvent-would-double-the-text",
        ),
    ],
)
def test_anthropic_other_events_give_nothing(event: Any) -> None:
    """Every Anthropic event other than a text or thinking delta gives nothing."""
    assert adapt(event) == []


# --- LangChain -----------------------------------------------------------------------------


def test_langchain_string_content_gives_text() -> None:
    """An `AIMessageChunk` with string content gives that text; empty gives nothing."""
    assert adapt(AIMessageChunk(content="Hello")) == [Part(PartKind.TEXT, "Hello")]
    assert adapt(AIMessageChunk(content="")) == []


def test_langchain_content_blocks_give_the_text_of_text_blocks() -> None:
    """A list of content blocks gives the text of its `text` blocks, joined."""
    chunk = AIMessageChunk(
        content=[
            {"type": "text", "text": "Hel", "index": 0},
            {"type": "tool_use", "id": "t1", "name": "x", "input": {}, "index": 1},
            {"type": "text", "text": "lo", "index": 2},
        ]
    )
    assert adapt(chunk) == [Part(PartKind.TEXT, "Hello")]


@pytest.mark.parametrize(
    "block",
    [
        pytest.param({"type": "reasoning", "reasoning": "pondering"}, id="standard-reasoning"),
        pytest.param({"type": "thinking", "thinking": "pondering"}, id="anthropic-thinking"),
    ],
)
def test_langchain_reasoning_blocks_give_reasoning(block: dict[str, Any]) -> None:
    """Reasoning and thinking blocks give a reasoning part."""
    assert adapt(AIMessageChunk(content=[block])) == [Part(PartKind.REASONING, "pondering")]


def test_langchain_reasoning_content_kwarg_gives_reasoning() -> None:
    """`additional_kwargs["reasoning_content"]` (DeepSeek through LangChain) is reasoning."""
    chunk = AIMessageChunk(content="", additional_kwargs={"reasoning_content": "first, x"})
    assert adapt(chunk) == [Part(PartKind.REASONING, "first, x")]


def test_langchain_tool_call_chunks_give_a_tool_call_part() -> None:
    """`tool_call_chunks` give a tool-call part."""
    chunk = AIMessageChunk(
        content="",
        tool_call_chunks=[
            {
                "name": "search",
                "args": '{"q": "x"}',
                "id": "c1",
                "index": 0,
                "type": "tool_call_chunk",
            }
        ],
    )
    (part,) = adapt(chunk)
    assert part.kind is PartKind.TOOL_CALL
    assert part.value == chunk.tool_call_chunks


def test_langgraph_tuple_is_unpacked() -> None:
    """A LangGraph `(message_chunk, metadata)` tuple adapts as its message chunk."""
    metadata = {"langgraph_node": "agent", "langgraph_step": 1}
    assert adapt((AIMessageChunk(content="node says"), metadata)) == [
        Part(PartKind.TEXT, "node says")
    ]
    thinking = AIMessageChunk(content=[{"type": "reasoning", "reasoning": "r"}])
    assert adapt((thinking, metadata)) == [Part(PartKind.REASONING, "r")]


def test_a_plain_pair_stays_an_object() -> None:
    """A 2-tuple that is not a LangGraph pair is an object like any other."""
    pair = ("a", "b")
    assert adapt(pair) == [Part(PartKind.OBJECT, pair)]


def test_langchain_non_ai_messages_are_objects_not_answer_text() -> None:
    """Only AI messages are answer text, as in Streamlit; a tool's or a user's message is not."""
    message = HumanMessage(content="hi")
    assert adapt(message) == [Part(PartKind.OBJECT, message)]


def test_langchain_chunk_with_text_and_reasoning_keeps_both() -> None:
    """A single chunk carrying a reasoning block and a text block loses neither."""
    response = Response()
    response.feed(
        AIMessageChunk(
            content=[
                {"type": "reasoning", "reasoning": "weigh options"},
                {"type": "text", "text": "Answer"},
            ]
        )
    )
    assert response.value == "Answer"
    assert response.reasoning == "weigh options"


# --- plain values --------------------------------------------------------------------------


def test_strings_are_text_and_empty_strings_are_nothing() -> None:
    """A non-empty `str` is text; `""` is nothing."""
    assert adapt("tok") == [Part(PartKind.TEXT, "tok")]
    assert adapt("") == []


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="None"),
        pytest.param(0, id="zero"),
        pytest.param(3.5, id="float"),
        pytest.param({"role": "tool"}, id="dict"),
        pytest.param([1, 2], id="list"),
        pytest.param(b"raw", id="bytes"),
        pytest.param(pd.DataFrame({"a": [1, 2]}), id="DataFrame"),
        pytest.param(ValueError("shown as an error"), id="exception"),
    ],
)
def test_other_values_stay_objects(value: object) -> None:
    """`None`, numbers, dicts, DataFrames and anything else stay objects, unchanged."""
    (part,) = adapt(value)
    assert part.kind is PartKind.OBJECT
    assert part.value is value


def test_callable_chunk_is_a_call_and_adapt_does_not_call_it() -> None:
    """A callable chunk becomes a `CALL` part; adapting alone never calls it."""
    calls: list[int] = []

    def side_effect() -> None:
        calls.append(1)

    assert adapt(side_effect) == [Part(PartKind.CALL, side_effect)]
    assert calls == []
