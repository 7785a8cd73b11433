"""`collect` and `collect_async` end to end: real SDK streams, and failures part-way."""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any

import openai
import pytest
from anthropic.types import RawMessageStreamEvent
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from pydantic import TypeAdapter

from tui.stream import Response, collect, collect_async

from .sse_server import CHAT_PATH, SSEServer, chat_chunk

CONTENT = ["Hel", "lo", ", ", "wor", "ld"]
REASONING = ["Think", "ing"]
ARGUMENTS = ['{"ci', 'ty": ', '"Oslo"}']


def script() -> list[dict[str, Any]]:
    """A realistic Chat Completions stream: role, reasoning, text, tool call, usage."""
    usage_chunk = chat_chunk()
    usage_chunk["choices"] = []
    usage_chunk["usage"] = {"prompt_tokens": 3, "completion_tokens": 7, "total_tokens": 10}
    no_delta = chat_chunk(finish="stop")
    no_delta["choices"][0]["delta"] = None
    tool_calls = [
        chat_chunk(
            tool_calls=[
                {
                    "index": 0,
                    "id": "call_1" if number == 0 else None,
                    "type": "function" if number == 0 else None,
                    "function": {"name": "weather"} | {"arguments": piece}
                    if number == 0
                    else {"arguments": piece},
                }
            ]
        )
        for number, piece in enumerate(ARGUMENTS)
    ]
    return [
        chat_chunk("", role="assistant"),
        *(chat_chunk(reasoning_content=piece) for piece in REASONING),
        *(chat_chunk(piece) for piece in CONTENT),
        *tool_calls,
        chat_chunk(finish="tool_calls"),
        no_delta,
        usage_chunk,
    ]


def check(response: Response, value: object, sse: SSEServer) -> None:
    """What a response to `script()` must hold, and what the server must have seen."""
    assert value == "".join(CONTENT)
    assert response.value == value
    assert response.reasoning == "".join(REASONING)
    arguments = "".join(call.function.arguments for calls in response.tool_calls for call in calls)
    assert arguments == "".join(ARGUMENTS)
    assert response.tool_calls[0][0].function.name == "weather"
    method, path, body = sse.requests[-1]
    assert (method, path) == ("POST", CHAT_PATH)
    assert body["stream"] is True


MESSAGES = [{"role": "user", "content": "Weather in Oslo?"}]


async def test_openai_async_stream_with_collect_async(sse: SSEServer) -> None:
    """A real `openai.AsyncStream` over loopback SSE is collected on the running loop."""
    sse.script.chunks = script()
    async with openai.AsyncOpenAI(base_url=sse.base_url, api_key="test", max_retries=0) as client:
        stream = await client.chat.completions.create(
            model="test-model", messages=MESSAGES, stream=True
        )
        assert isinstance(stream, openai.AsyncStream)
        response = Response()
        check(response, await collect_async(stream, response=response), sse)


async def test_openai_async_stream_from_a_zero_arg_callable(sse: SSEServer) -> None:
    """A zero-argument callable returning the `AsyncStream` works the same."""
    sse.script.chunks = script()
    async with openai.AsyncOpenAI(base_url=sse.base_url, api_key="test", max_retries=0) as client:
        stream = await client.chat.completions.create(
            model="test-model", messages=MESSAGES, stream=True
        )
        response = Response()
        check(response, await collect_async(lambda: stream, response=response), sse)


async def test_openai_async_stream_from_an_async_function(sse: SSEServer) -> None:
    """An async zero-argument function whose result is the `AsyncStream` is awaited."""
    sse.script.chunks = script()
    async with openai.AsyncOpenAI(base_url=sse.base_url, api_key="test", max_retries=0) as client:

        async def backend() -> openai.AsyncStream[Any]:
            return await client.chat.completions.create(
                model="test-model", messages=MESSAGES, stream=True
            )

        response = Response()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # the un-awaited coroutine
            try:
                value: object = await collect_async(backend, response=response)
                failure = None
            except TypeError as error:
                failure = str(error)
            gc.collect()
        assert failure is None, failure
        check(response, value, sse)


def test_openai_sync_stream_with_collect(sse: SSEServer) -> None:
    """A real `openai.Stream`, given directly, is collected by `collect`."""
    sse.script.chunks = script()
    with openai.OpenAI(base_url=sse.base_url, api_key="test", max_retries=0) as client:
        stream = client.chat.completions.create(model="test-model", messages=MESSAGES, stream=True)
        assert isinstance(stream, openai.Stream)
        response = Response()
        check(response, collect(stream, response=response), sse)


def test_openai_sync_stream_from_a_zero_arg_callable(sse: SSEServer) -> None:
    """A callable that makes the request when called is collected by `collect`."""
    sse.script.chunks = script()
    with openai.OpenAI(base_url=sse.base_url, api_key="test", max_retries=0) as client:
        response = Response()

        def backend() -> openai.Stream[Any]:
            return client.chat.completions.create(
                model="test-model", messages=MESSAGES, stream=True
            )

        assert sse.requests == []
        check(response, collect(backend, response=response), sse)
        assert len(sse.requests) == 1


async def test_openai_sync_stream_with_collect_async(sse: SSEServer) -> None:
    """A sync `openai.Stream` can be collected from a running loop too."""
    sse.script.chunks = script()
    with openai.OpenAI(base_url=sse.base_url, api_key="test", max_retries=0) as client:
        stream = await asyncio.to_thread(
            lambda: client.chat.completions.create(
                model="test-model", messages=MESSAGES, stream=True
            )
        )
        response = Response()
        check(response, await collect_async(stream, response=response), sse)


def test_langchain_fake_model_stream() -> None:
    """A real LangChain chat model's `stream()` is collected into its full text."""
    text = "Streaming from LangChain works"
    model = GenericFakeChatModel(messages=iter([AIMessage(content=text)]))
    assert collect(lambda: model.stream("hi")) == text


async def test_langchain_fake_model_astream_as_langgraph_tuples() -> None:
    """`astream()` chunks wrapped as LangGraph `(chunk, metadata)` pairs are unpacked."""
    text = "graph node output"
    model = GenericFakeChatModel(messages=iter([AIMessage(content=text)]))

    async def graph() -> AsyncIterator[tuple[Any, dict[str, Any]]]:
        async for chunk in model.astream("hi"):
            yield chunk, {"langgraph_node": "agent"}

    assert await collect_async(graph) == text


def test_anthropic_event_sequence() -> None:
    """A full Anthropic stream with thinking then text gives the text once."""
    thinking, answer = ["Let me ", "see"], ["Bon", "jour"]

    def block(index: int, kind: str, pieces: list[str]) -> list[dict[str, Any]]:
        delta_type, field = ("text_delta", "text") if kind == "text" else ("thinking_delta", kind)
        start: dict[str, Any] = {"type": kind, kind: ""}
        if kind == "thinking":
            start["signature"] = ""
        return [
            {"type": "content_block_start", "index": index, "content_block": start},
            *(
                {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": delta_type, field: p},
                }
                for p in pieces
            ),
            {"type": "content_block_stop", "index": index},
        ]

    raw = [
        {
            "type": "message_start",
            "message": {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "model": "claude-test",
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {"input_tokens": 5, "output_tokens": 1},
            },
        },
        *block(0, "thinking", thinking),
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "signature_delta", "signature": "c2ln"},
        },
        *block(1, "text", answer),
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn"},
            "usage": {"output_tokens": 9},
        },
        {"type": "message_stop"},
    ]
    events = [TypeAdapter(RawMessageStreamEvent).validate_python(event) for event in raw]
    assert all(type(event).__module__.startswith("anthropic.types") for event in events)
    response = Response()
    assert collect(events, response=response) == "".join(answer)
    assert response.reasoning == "".join(thinking)


# --- failures part-way ---------------------------------------------------------------------


class Boom(Exception):
    """The error a stream raises part-way."""


def failing(error: BaseException) -> Iterator[str]:
    """Yield "so far" in two pieces, then raise `error`."""
    yield "so"
    yield " far"
    raise error


async def afailing(error: BaseException) -> AsyncIterator[str]:
    """The async twin of `failing`."""
    yield "so"
    await asyncio.sleep(0)
    yield " far"
    raise error


@pytest.mark.parametrize("make", [failing, afailing], ids=["sync-generator", "async-generator"])
def test_collect_reraises_unchanged_and_keeps_the_partial_response(make: Any) -> None:
    """`collect` re-raises the very same exception; the response passed in keeps "so far"."""
    error = Boom("part-way")
    partial = Response()
    with pytest.raises(Boom) as excinfo:
        collect(make(error), response=partial)
    assert excinfo.value is error
    assert partial.value == "so far"


@pytest.mark.parametrize("make", [failing, afailing], ids=["sync-generator", "async-generator"])
async def test_collect_async_reraises_unchanged_and_keeps_the_partial_response(make: Any) -> None:
    """`collect_async` re-raises the very same exception; the response keeps "so far"."""
    error = Boom("part-way")
    partial = Response()
    with pytest.raises(Boom) as excinfo:
        await collect_async(make(error), response=partial)
    assert excinfo.value is error
    assert partial.value == "so far"


def test_partial_response_keeps_objects_and_reasoning_too() -> None:
    """What arrived before the failure, objects and reasoning included, is kept."""
    error = Boom("late")
    frame = {"rows": 1}

    def stream() -> Iterator[object]:
        yield "text"
        yield frame
        yield (
            openai.types.chat.ChatCompletionChunk.model_validate(
                chat_chunk(reasoning_content="why")
            )
        )
        raise error

    partial = Response()
    with pytest.raises(Boom) as excinfo:
        collect(stream, response=partial)
    assert excinfo.value is error
    assert partial.value == ["text", frame]
    assert partial.reasoning == "why"


def test_error_without_a_response_still_propagates_unchanged() -> None:
    """Without a response passed in, the exception still reaches the caller unchanged."""
    error = KeyError("k")
    with pytest.raises(KeyError) as excinfo:
        collect(failing(error))
    assert excinfo.value is error


def test_error_from_a_callable_chunk_propagates_unchanged() -> None:
    """A callable chunk that raises stops the stream with its own exception."""
    error = Boom("in callable")

    def explode() -> None:
        raise error

    partial = Response()
    with pytest.raises(Boom) as excinfo:
        collect(["before", explode, "after"], response=partial)
    assert excinfo.value is error
    assert partial.value == "before"


def test_a_callable_chunk_ends_the_text_run_in_collect() -> None:
    """`collect(iter(["a", fn, "b"]))` calls `fn` and returns two strings, as Streamlit."""
    called: list[str] = []

    def fn() -> None:
        called.append("fn")

    assert collect(iter(["a", fn, "b"])) == ["a", "b"]
    assert called == ["fn"]
    assert asyncio.run(collect_async(iter(["a", fn, "b"]))) == ["a", "b"]


def test_collect_and_collect_async_agree() -> None:
    """Both entry points return the same value for the same mixed stream."""
    chunks: list[object] = ["a", "", "b", 1, None, "c", {"d": 2}]

    async def both() -> tuple[object, object]:
        return collect(list(chunks)), await collect_async(list(chunks))

    sync_value, async_value = asyncio.run(both())
    assert sync_value == async_value == ["ab", 1, None, "c", {"d": 2}]
