"""An in-memory conversation: each turn's prompt, full response, side parts and status."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tui.backends import Message
from tui.stream.bounds import bounded
from tui.text import describe

__all__ = ["Conversation", "Turn", "TurnStatus", "summarise"]


class TurnStatus(StrEnum):
    """How a turn ended."""

    STREAMING = "streaming"
    FINISHED = "finished"
    STOPPED = "stopped"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    """The process ended while the answer streamed; what was saved up to then is kept."""


@dataclass
class Turn:
    """One prompt and what came back for it."""

    prompt: str
    response: str | list[Any] = ""
    """The full response, as `write_stream` returns it."""
    reasoning: str = ""
    tool_calls: list[Any] = field(default_factory=list)
    status: TurnStatus = TurnStatus.STREAMING
    error: str | None = None
    """What went wrong, for a failed turn: our line, then any reason the server gave."""


def summarise(value: object) -> str:
    """A text form of one part of a response, for a backend that only reads text.

    Example:
        >>> summarise(["Hi", {"a": 1}])
        'Hi\\n{"a": 1}'
    """
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(summarise(item) for item in value)
    shape = getattr(value, "shape", None)
    if shape is not None and hasattr(value, "to_csv"):
        head = value.head(20).to_csv()  # type: ignore[attr-defined]
        return f"[table, {' × '.join(map(str, shape))}; first rows as CSV]\n{head}"
    shown = bounded(value)  # a huge int or a list 20,000 deep can't be dumped whole
    try:
        return json.dumps(shown, default=describe, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return describe(shown)


@dataclass
class Conversation:
    """The turns of one chat, in order, and their form as backend messages."""

    turns: list[Turn] = field(default_factory=list)

    @classmethod
    def from_messages(cls, messages: Iterable[Any]) -> Conversation:
        """Rebuild the turns from stored messages (anything with `role`, `value`,
        `status`, `reasoning`, `tool_calls` and `error`): each user message starts a turn
        and the assistant message after it is its answer."""
        conversation = cls()
        for message in messages:
            if message.role == "user":
                conversation.turns.append(Turn(str(message.value), status=TurnStatus.INTERRUPTED))
            elif conversation.turns:
                turn = conversation.turns[-1]
                turn.response = message.value
                turn.reasoning = message.reasoning
                turn.tool_calls = list(message.tool_calls)
                turn.status = TurnStatus(message.status)
                turn.error = message.error
        return conversation

    def start(self, prompt: str) -> Turn:
        """Begin a turn for `prompt` and return it, to be filled in as it streams."""
        turn = Turn(prompt)
        self.turns.append(turn)
        return turn

    def messages(self) -> list[Message]:
        """The conversation as OpenAI-style messages; non-text parts summarised as text.

        What a backend is sent of each turn (the README's "What the model is sent"):
        - a finished turn: its prompt and its answer, even an empty one;
        - a stopped, interrupted or failed turn with some answer: its prompt and the
          answer as far as it came;
        - a turn that ended with no answer at all (it failed, or was stopped, before
          the first token): nothing, so that the next prompt is not sent after a
          second user message and a prompt the server refused is not sent again;
        - the turn streaming now, last: its prompt.

        So user and assistant alternate, as templates such as Mistral's require.

        Example:
            >>> chat = Conversation([Turn("hi", "hello", status=TurnStatus.FINISHED),
            ...                      Turn("too long", status=TurnStatus.FAILED)])
            >>> _ = chat.start("again")
            >>> [m["content"] for m in chat.messages()]
            ['hi', 'hello', 'again']
        """
        messages: list[Message] = []
        for number, turn in enumerate(self.turns, 1):
            if turn.status is TurnStatus.STREAMING and number == len(self.turns):
                messages.append({"role": "user", "content": turn.prompt})
                continue
            answer = summarise(turn.response)
            if answer or turn.status is TurnStatus.FINISHED:
                messages.append({"role": "user", "content": turn.prompt})
                messages.append({"role": "assistant", "content": answer})
        return messages
