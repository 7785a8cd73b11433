"""One print-mode turn: the prompt joined with piped input, and, with `--session` or
`--resume`, that session's turns sent as context and the new turn saved to it."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, TextIO

from tui.backends import Backend, Message, Settings
from tui.history import Conversation, TurnStatus
from tui.history.recording import SessionRecorder
from tui.print_mode import Outcome, stream_answer
from tui.stream import Response

if TYPE_CHECKING:
    from tui.history.store import HistoryStore

__all__ = ["SAVE_EVERY", "PrintSession", "print_turn", "with_piped_input"]

SAVE_EVERY = 1.0
"""Seconds between saves of an answer that is still streaming."""


def with_piped_input(prompt: str, stdin: TextIO | None) -> str:
    """The prompt, then a blank line, then what was piped to stdin, if anything was.

    A terminal is never read, so `inkstream -p ...` typed at a shell doesn't wait for input.

    Example:
        >>> import io
        >>> with_piped_input("Summarise this", io.StringIO("notes\\n"))
        'Summarise this\\n\\nnotes\\n'
        >>> with_piped_input("Summarise this", io.StringIO(""))
        'Summarise this'
    """
    piped = read_piped(stdin)
    return f"{prompt}\n\n{piped}" if piped else prompt


def read_piped(stdin: TextIO | None) -> str:
    """All of stdin when it is a pipe or a file; "" for a terminal, or none at all."""
    if stdin is None:
        return ""
    try:
        return "" if stdin.isatty() else stdin.read()
    except (OSError, ValueError):  # closed (`<&-`), or a stand-in that can't be read
        return ""


class PrintSession:
    """The stored session a print-mode turn continues.

    Args:
        store: The history.
        session_id: The session to continue; it must exist.
        backend: The backend's name, for the record.
        model: The model's name, for the record.
    """

    def __init__(
        self, store: HistoryStore, session_id: int, *, backend: str, model: str | None
    ) -> None:
        store.session(session_id)  # raises SessionNotFound before anything is sent
        self.store = store
        self.recorder = SessionRecorder(
            store, backend=backend, model=model, session_id=session_id, on_failure=_warn
        )

    def messages(self, prompt: str) -> list[Message]:
        """The session's turns as messages, then `prompt`."""
        assert self.recorder.session_id is not None
        conversation = Conversation.from_messages(self.store.messages(self.recorder.session_id))
        conversation.start(prompt)
        return conversation.messages()


def _warn(problem: str) -> None:
    print(f"inkstream: {problem}", file=sys.stderr)


async def print_turn(
    backend: Backend,
    prompt: str,
    settings: Settings,
    session: PrintSession | None = None,
) -> int:
    """Print the answer to `prompt`; with a session, send its turns too and save the turn
    there (every `SAVE_EVERY` seconds while it streams, and at the end however it ends).
    Return the exit code."""
    if session is None:
        outcome = await stream_answer(backend, [{"role": "user", "content": prompt}], settings)
        return outcome.code
    messages = session.messages(prompt)
    recorder = session.recorder
    message_id = recorder.begin(prompt)
    response = Response()
    outcome = Outcome(130, TurnStatus.INTERRUPTED.value)  # what a cancel (a signal) leaves

    async def save_while_streaming() -> None:
        while message_id is not None:
            await asyncio.sleep(SAVE_EVERY)
            recorder.save(message_id, response, TurnStatus.STREAMING)

    saver = asyncio.create_task(save_while_streaming())
    try:
        outcome = await stream_answer(backend, messages, settings, response=response)
    finally:
        saver.cancel()
        if message_id is not None:
            recorder.save(message_id, response, TurnStatus(outcome.status), outcome.error)
    return outcome.code
