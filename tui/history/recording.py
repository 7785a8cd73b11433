"""`SessionRecorder`: writes one chat's turns to the history store as they happen.

The file can fail under a running chat: the disk fills, the file or its folder becomes
read-only, another program holds it locked, the disk itself fails. The recorder then
stops writing, says why once through `on_failure`, and lets the chat carry on. SQLite
rolls back the write that failed, so what the file held before is left as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from tui.history.errors import MessageNotFound, SessionNotFound, storage_problem

if TYPE_CHECKING:
    from tui.history.store import HistoryStore

__all__ = ["SessionRecorder", "title_for"]

TITLE_LENGTH = 60
T = TypeVar("T")


def title_for(prompt: str) -> str:
    """A session title from its first prompt: one line, at most 60 characters.

    Example:
        >>> title_for("  What is\\n a monad?  ")
        'What is a monad?'
    """
    flat = " ".join(prompt.split())
    return flat if len(flat) <= TITLE_LENGTH else flat[: TITLE_LENGTH - 1] + "…"


class SessionRecorder:
    """Records turns into one session, creating it on the first prompt.

    Args:
        store: Where the session lives.
        backend: The backend's name, stored with a new session.
        model: The model's name, if any, stored with a new session.
        session_id: An existing session to append to; a new one is made when `None`.
        on_failure: Called once, with a line such as "history is not being saved: the
            disk is full (/path/history.sqlite3)", when the file can't be written.
    """

    def __init__(
        self,
        store: HistoryStore,
        *,
        backend: str,
        model: str | None = None,
        session_id: int | None = None,
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.backend = backend
        self.model = model
        self.session_id = session_id
        self.on_failure = on_failure
        self.failure: str | None = None
        """Why this recorder stopped writing, or `None` while it writes."""
        self.on_restart: Callable[[], None] | None = None
        """Called when a prompt finds its session deleted (by another process) and is
        saved in a new session instead."""

    def begin(self, prompt: str) -> int | None:
        """Store the prompt and an empty, streaming answer; return the answer's id.

        Returns `None`, and stores nothing, once the file can't be written.
        """

        def write() -> int:
            if self.session_id is not None:
                try:
                    self.store.session(self.session_id)
                except SessionNotFound:  # deleted elsewhere: this turn starts a new one
                    self.session_id = None
                    if self.on_restart is not None:
                        self.on_restart()
            if self.session_id is None:
                self.session_id = self.store.create_session(
                    title=title_for(prompt), backend=self.backend, model=self.model
                )
            self.store.add_message(self.session_id, "user", prompt)
            return self.store.add_message(self.session_id, "assistant", "", status="streaming")

        return self._guarded(write)

    def save(
        self,
        message_id: int,
        response: Any,
        status: str,
        error: str | None = None,
    ) -> None:
        """Store what the answer holds now: its value, reasoning, tool calls and status.

        Does nothing once the file can't be written.
        """
        self._guarded(
            lambda: self.store.save_message(
                message_id,
                response.value,
                status=status,
                reasoning=response.reasoning,
                tool_calls=list(response.tool_calls),
                error=error,
            )
        )

    def _guarded(self, write: Callable[[], T]) -> T | None:
        """Run `write` unless writing has failed; on a storage fault, stop and say why."""
        if self.failure is not None:
            return None
        try:
            return write()
        except (MessageNotFound, SessionNotFound):
            problem = "the session was deleted from the history meanwhile"
        except sqlite3.Error as error:
            problem = storage_problem(error)
            if problem is None:
                raise
        self.failure = f"history is not being saved: {problem} ({self.store.path})"
        if self.on_failure is not None:
            self.on_failure(self.failure)
        return None
