"""Adapt one streamed chunk into a `Part`: text, an object, reasoning, a tool call, or a call.

Chunk types from optional libraries (openai, anthropic, langchain-core) are recognised by
their module and class name, as Streamlit does, so none of them is imported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Part", "PartKind", "adapt"]


class PartKind(StrEnum):
    """What a chunk turned out to be."""

    TEXT = "text"
    """Answer text: typed out, and part of the return value."""
    OBJECT = "object"
    """Anything else: written the way `st.write` would, and part of the return value."""
    REASONING = "reasoning"
    """A model's reasoning or thinking text: shown folded, kept out of the return value."""
    TOOL_CALL = "tool_call"
    """A tool-call delta: shown folded, kept out of the return value."""
    CALL = "call"
    """A callable chunk: called, never written nor kept."""


@dataclass(frozen=True, slots=True)
class Part:
    """One adapted chunk.

    Example:
        >>> adapt("hi")
        [Part(kind=<PartKind.TEXT: 'text'>, value='hi')]
    """

    kind: PartKind
    value: Any


def _comes_from(obj: object, module_prefix: str, *class_names: str) -> bool:
    """Whether `obj` is an instance of a class named `class_names` from `module_prefix`."""
    for cls in type(obj).__mro__:
        if cls.__name__ in class_names and cls.__module__.startswith(module_prefix):
            return True
    return False


def _text(value: object) -> list[Part]:
    return [Part(PartKind.TEXT, value)] if isinstance(value, str) and value else []


def _reasoning(value: object) -> list[Part]:
    return [Part(PartKind.REASONING, value)] if isinstance(value, str) and value else []


def _tool_calls(value: object) -> list[Part]:
    return [Part(PartKind.TOOL_CALL, value)] if value else []


def _openai_chat_chunk(chunk: Any) -> list[Part]:
    choices = getattr(chunk, "choices", None)
    if not choices:
        return []
    delta = getattr(choices[0], "delta", None)
    if delta is None:
        return []
    reasoning = getattr(delta, "reasoning_content", None) or getattr(delta, "reasoning", None)
    return [
        *_reasoning(reasoning),
        *_text(getattr(delta, "content", None)),
        *_tool_calls(getattr(delta, "tool_calls", None)),
    ]


_RESPONSES_TEXT = {"response.output_text.delta", "response.refusal.delta"}
_RESPONSES_REASONING = {
    "response.reasoning_text.delta",
    "response.reasoning_summary_text.delta",
}


def _openai_responses_event(event: Any) -> list[Part]:
    kind = getattr(event, "type", None)
    if kind in _RESPONSES_TEXT:
        return _text(getattr(event, "delta", None))
    if kind in _RESPONSES_REASONING:
        return _reasoning(getattr(event, "delta", None))
    return []


def _anthropic_event(event: Any) -> list[Part]:
    if getattr(event, "type", None) != "content_block_delta":
        return []
    delta = getattr(event, "delta", None)
    match getattr(delta, "type", None):
        case "text_delta":
            return _text(getattr(delta, "text", None))
        case "thinking_delta":
            return _reasoning(getattr(delta, "thinking", None))
    return []


def _block_reasoning(block: dict[str, Any]) -> str:
    """The text of a reasoning block: LangChain's, Anthropic's, or OpenAI's summary list."""
    text = block.get("reasoning") or block.get("thinking")
    if isinstance(text, str):
        return text
    summary = block.get("summary")
    if isinstance(summary, list):
        return "".join(str(item.get("text", "")) for item in summary if isinstance(item, dict))
    return ""


def _langchain_message(message: Any) -> list[Part]:
    content = getattr(message, "content", None)
    texts: list[str] = []
    thoughts: list[str] = []
    if isinstance(content, str):
        texts.append(content)
    elif isinstance(content, list):
        for block in content:
            if isinstance(block, str):
                texts.append(block)
            elif isinstance(block, dict):
                match block.get("type"):
                    case "text":
                        texts.append(str(block.get("text") or ""))
                    case "reasoning" | "thinking":
                        thoughts.append(_block_reasoning(block))
    extra = getattr(message, "additional_kwargs", None) or {}
    if isinstance(extra.get("reasoning_content"), str):
        thoughts.append(extra["reasoning_content"])
    return [
        *_reasoning("".join(thoughts)),
        *_text("".join(texts)),
        *_tool_calls(getattr(message, "tool_call_chunks", None)),
    ]


def _is_langchain_ai_message(obj: object) -> bool:
    return _comes_from(obj, "langchain_core", "AIMessageChunk", "AIMessage")


_ADAPTERS: tuple[tuple[str, tuple[str, ...], Callable[[Any], list[Part]]], ...] = (
    ("openai", ("ChatCompletionChunk",), _openai_chat_chunk),
    ("openai.types.responses", ("BaseModel",), _openai_responses_event),
    ("anthropic", ("BaseModel",), _anthropic_event),
)


def adapt(chunk: object) -> list[Part]:
    """Turn one chunk into the parts it carries, in the order they should show.

    Most chunks carry one part or none; an LLM chunk can carry reasoning, text and
    tool calls at once, and none of them is dropped.

    Args:
        chunk: Anything a stream yielded.

    Returns:
        The parts; empty for an empty string or an event with no content.

    Example:
        >>> adapt("")
        []
        >>> [part.kind.value for part in adapt({"a": 1})]
        ['object']
    """
    if isinstance(chunk, str):
        return _text(chunk)
    module = type(chunk).__module__
    for prefix, class_names, adapter in _ADAPTERS:
        if module.startswith(prefix) and _comes_from(chunk, prefix.split(".")[0], *class_names):
            return adapter(chunk)
    if _is_langchain_ai_message(chunk):
        return _langchain_message(chunk)
    if isinstance(chunk, tuple) and len(chunk) == 2 and _is_langchain_ai_message(chunk[0]):
        return _langchain_message(chunk[0])  # LangGraph's (message_chunk, metadata)
    if callable(chunk):
        return [Part(PartKind.CALL, chunk)]
    return [Part(PartKind.OBJECT, chunk)]
