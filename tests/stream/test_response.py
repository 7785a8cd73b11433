"""Streamlit's return-value rules, and the separate record of reasoning and tool calls."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from anthropic.types import RawContentBlockDeltaEvent
from langchain_core.messages import AIMessageChunk
from openai.types.chat import ChatCompletionChunk

from tui.stream import Part, PartKind, Response


def fed(*chunks: object) -> Response:
    """A response fed `chunks` in order."""
    response = Response()
    for chunk in chunks:
        response.feed(chunk)
    return response


def openai_delta(**delta: Any) -> ChatCompletionChunk:
    """A validated Chat Completions chunk with one choice carrying `delta`."""
    return ChatCompletionChunk.model_validate(
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "delta": delta}],
        }
    )


def test_nothing_written_gives_empty_string() -> None:
    """No chunks, or only chunks that carry nothing, give `""`."""
    assert fed().value == ""
    assert fed("", "", openai_delta(role="assistant")).value == ""
    assert isinstance(fed().value, str)


def test_one_string_is_returned_as_is() -> None:
    """Exactly one string is returned as a `str`, not a list."""
    assert fed("only").value == "only"


def test_consecutive_text_is_merged_and_empty_strings_skipped() -> None:
    """A run of text is one string; empty strings neither add nor split anything."""
    pieces = ["", "Hel", "", "lo", " ", "", "world"]
    assert fed(*pieces).value == "".join(pieces)


def test_mixed_stream_is_a_list_in_stream_order_with_runs_merged() -> None:
    """Text, objects, text: a list in order, each text run one string."""
    frame = pd.DataFrame({"x": [1]})
    payload = {"k": "v"}
    value = fed("a", "b", frame, "", "c", 42, payload, "d", "e").value
    assert isinstance(value, list)
    assert value[0] == "ab"
    assert value[1] is frame
    assert value[2:4] == ["c", 42]
    assert value[4] is payload
    assert value[5] == "de"
    assert len(value) == 6


def test_a_single_object_is_a_list() -> None:
    """One non-text object gives a one-item list, as in Streamlit."""
    assert fed(None).value == [None]
    assert fed("", 7, "").value == [7]


def test_empty_string_between_objects_adds_no_item() -> None:
    """`""` between two objects is skipped, not kept as an empty text item."""
    assert fed(1, "", 2).value == [1, 2]


def test_callable_chunk_is_called_once_in_order_and_not_kept() -> None:
    """A callable is called when it arrives and never written; it ends the run of text
    before it, as Streamlit flushes its text there (issue 15, item 21)."""
    log: list[str] = []

    def mark() -> None:
        log.append("called")

    response = Response()
    for chunk in ["a", mark, "b"]:
        log.append(f"feed {chunk if isinstance(chunk, str) else 'callable'}")
        response.feed(chunk)
    assert log == ["feed a", "feed callable", "called", "feed b"]
    assert response.value == ["a", "b"]
    assert mark not in response.items


def test_callables_and_empties_next_to_each_other_end_one_run() -> None:
    """Two callables in a row, or one at either end, leave no empty string behind."""
    called: list[int] = []

    def mark() -> None:
        called.append(1)

    assert fed(mark, "a", "", mark, mark, "", "b", mark).value == ["a", "b"]
    assert fed(mark, "only", mark).value == "only"
    assert fed(mark).value == ""
    assert len(called) == 7


def test_reasoning_and_tool_calls_are_kept_apart_from_the_value() -> None:
    """Reasoning and tool-call deltas go to `reasoning` and `tool_calls`, not to `value`."""
    first_call = openai_delta(
        tool_calls=[{"index": 0, "id": "c1", "type": "function", "function": {"name": "f"}}]
    )
    second_call = openai_delta(tool_calls=[{"index": 0, "function": {"arguments": "{}"}}])
    thinking = RawContentBlockDeltaEvent.model_validate(
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "thinking_delta", "thinking": "B"},
        }
    )
    response = fed(
        openai_delta(reasoning_content="A"),
        "x",
        first_call,
        thinking,
        AIMessageChunk(content=[{"type": "reasoning", "reasoning": "C"}]),
        "y",
        second_call,
    )
    assert response.value == "xy"
    assert response.reasoning == "ABC"
    assert response.tool_calls == [
        first_call.choices[0].delta.tool_calls,
        second_call.choices[0].delta.tool_calls,
    ]


def test_only_reasoning_gives_empty_value() -> None:
    """A stream of only reasoning writes nothing: the value is `""`."""
    response = fed(openai_delta(reasoning="thinking..."))
    assert response.value == ""
    assert response.reasoning == "thinking..."
    assert response.tool_calls == []


def test_feed_returns_the_adapted_part() -> None:
    """`feed` returns the parts `adapt` made of the chunk: none for an empty one."""
    response = Response()
    assert response.feed("t") == [Part(PartKind.TEXT, "t")]
    assert response.feed("") == []
    assert response.feed(5) == [Part(PartKind.OBJECT, 5)]


def test_value_can_be_read_mid_stream() -> None:
    """`value` reflects what arrived so far and keeps growing afterwards."""
    response = fed("so", " far")
    assert response.value == "so far"
    response.feed(1)
    response.feed("more")
    assert response.value == ["so far", 1, "more"]


def test_value_is_a_fresh_list_each_time() -> None:
    """Mutating a returned list does not change the response."""
    response = fed("a", 1)
    value = response.value
    assert isinstance(value, list)
    value.append("intruder")
    assert response.value == ["a", 1]


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        pytest.param([], "", id="empty"),
        pytest.param(["a"], "a", id="one-string"),
        pytest.param([1], [1], id="one-object"),
        pytest.param(["a", "b"], "ab", id="merged"),
        pytest.param(["a", 1], ["a", 1], id="text-object"),
        pytest.param([1, "a"], [1, "a"], id="object-text"),
        pytest.param([1, 2], [1, 2], id="two-objects"),
        pytest.param(["", "", ""], "", id="only-empty"),
    ],
)
def test_return_value_table(chunks: list[object], expected: str | list[object]) -> None:
    """The Streamlit table of return values, case by case."""
    assert fed(*chunks).value == expected
