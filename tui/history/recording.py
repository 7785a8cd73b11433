"""`SessionRecorder`: writes one chat's turns to the history store as they happen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.history.store import HistoryStore

__all__ = ["SessionRecorder", "title_for"]

TITLE_LENGTH = 60


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
    """

    def __init__(
        self,
        store: HistoryStore,
        *,
        backend: str,
        model: str | None = None,
        session_id: int | None = None,
    ) -> None:
        self.store = store
        self.backend = backend
        self.model = model
        self.session_id = session_id

    def begin(self, prompt: str) -> int:
        """Store the prompt and an empty, streaming answer; return the answer's id."""
        if self.session_id is None:
            self.session_id = self.store.create_session(
                title=title_for(prompt), backend=self.backend, model=self.model
            )
        self.store.add_message(self.session_id, "user", prompt)
        return self.store.add_message(self.session_id, "assistant", "", status="streaming")

    def save(
        self,
        message_id: int,
        response: Any,
        status: str,
        error: str | None = None,
    ) -> None:
        """Store what the answer holds now: its value, reasoning, tool calls and status."""
        self.store.save_message(
            message_id,
            response.value,
            status=status,
            reasoning=response.reasoning,
            tool_calls=list(response.tool_calls),
            error=error,
        )
