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
        Part(kind=<PartKind.TEXT: 'text'>, value='hi')
    """

    kind: PartKind
    value: Any


def _comes_from(obj: object, module_prefix: str, *class_names: str) -> bool:
    """Whether `obj` is an instance of a class named `class_names` from `module_prefix`."""
    for cls in type(obj).__mro__:
        if cls.__name__ in class_names and cls.__module__.startswith(module_prefix):
            return True
    return False


def _text(value: object) -> Part | None:
    return Part(PartKind.TEXT, value) if isinstance(value, str) and value else None


def _reasoning(value: object) -> Part | None:
    return Part(PartKind.REASONING, value) if isinstance(value, str) and value else None


def _openai_chat_chunk(chunk: Any) -> Part | None:
    choices = getattr(chunk, "choices", None)
    if not choices:
        return None
    delta = getattr(choices[0], "delta", None)
    if delta is None:
        return None
    if text := _text(getattr(delta, "content", None)):
        return text
    for name in ("reasoning_content", "reasoning"):
        if reasoning := _reasoning(getattr(delta, name, None)):
            return reasoning
    if tool_calls := getattr(delta, "tool_calls", None):
        return Part(PartKind.TOOL_CALL, tool_calls)
    return None


_RESPONSES_TEXT = {"response.output_text.delta", "response.refusal.delta"}
_RESPONSES_REASONING = {
    "response.reasoning_text.delta",
    "response.reasoning_summary_text.delta",
}


def _openai_responses_event(event: Any) -> Part | None:
    kind = getattr(event, "type", None)
    if kind in _RESPONSES_TEXT:
        return _text(getattr(event, "delta", None))
    if kind in _RESPONSES_REASONING:
        return _reasoning(getattr(event, "delta", None))
    return None


def _anthropic_event(event: Any) -> Part | None:
    if getattr(event, "type", None) != "content_block_delta":
        return None
    delta = getattr(event, "delta", None)
    match getattr(delta, "type", None):
        case "text_delta":
            return _text(getattr(delta, "text", None))
        case "thinking_delta":
            return _reasoning(getattr(delta, "thinking", None))
    return None


def _langchain_message(message: Any) -> Part | None:
    content = getattr(message, "content", None)
    if isinstance(content, str):
        if text := _text(content):
            return text
    elif isinstance(content, list):
        texts: list[str] = []
        thoughts: list[str] = []
        for block in content:
            if isinstance(block, str):
                texts.append(block)
            elif isinstance(block, dict):
                match block.get("type"):
                    case "text":
                        texts.append(str(block.get("text") or ""))
                    case "reasoning" | "thinking":
                        thoughts.append(str(block.get("reasoning") or block.get("thinking") or ""))
        if text := _text("".join(texts)):
            return text
        if reasoning := _reasoning("".join(thoughts)):
            return reasoning
    extra = getattr(message, "additional_kwargs", None) or {}
    if reasoning := _reasoning(extra.get("reasoning_content")):
        return reasoning
    if tool_calls := getattr(message, "tool_call_chunks", None):
        return Part(PartKind.TOOL_CALL, tool_calls)
    return None


def _is_langchain_message(obj: object) -> bool:
    return _comes_from(obj, "langchain_core", "BaseMessageChunk", "BaseMessage")


_ADAPTERS: tuple[tuple[str, tuple[str, ...], Callable[[Any], Part | None]], ...] = (
    ("openai", ("ChatCompletionChunk",), _openai_chat_chunk),
    ("openai.types.responses", ("BaseModel",), _openai_responses_event),
    ("anthropic", ("BaseModel",), _anthropic_event),
)


def adapt(chunk: object) -> Part | None:
    """Turn one chunk into a `Part`, or `None` when it carries nothing to show.

    Args:
        chunk: Anything a stream yielded.

    Returns:
        The adapted part, or `None` for an empty string or an event with no content.

    Example:
        >>> adapt("") is None
        True
        >>> adapt({"a": 1}).kind
        <PartKind.OBJECT: 'object'>
    """
    if isinstance(chunk, str):
        return _text(chunk)
    module = type(chunk).__module__
    for prefix, class_names, adapter in _ADAPTERS:
        if module.startswith(prefix) and _comes_from(chunk, prefix.split(".")[0], *class_names):
            return adapter(chunk)
    if _is_langchain_message(chunk):
        return _langchain_message(chunk)
    if isinstance(chunk, tuple) and len(chunk) == 2 and _is_langchain_message(chunk[0]):
        return _langchain_message(chunk[0])  # LangGraph's (message_chunk, metadata)
    if callable(chunk):
        return Part(PartKind.CALL, chunk)
    return Part(PartKind.OBJECT, chunk)
