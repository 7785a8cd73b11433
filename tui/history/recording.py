"""`SessionRecorder`: writes one chat's turns to the history store as they happen.

The file can fail under a running chat: the disk fills, the file or its folder becomes
read-only, another program holds it locked, the disk itself fails. The recorder then
stops writing, says why once through `on_failure`, and lets the chat carry on. SQLite
rolls back the write that failed, so what the file held before is left as it was.

The file can also be deleted or replaced (`HistoryFile.moved`), which SQLite doesn't
notice. Before each write the recorder checks; if so, it reads the whole open session
from the file still open, opens the path again (making the file anew), saves the session
there, and says so once through `on_notice`. If that fails, `on_failure` hears "history
is not being saved: the file was deleted".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from tui.history.errors import HistoryError, MessageNotFound, SessionNotFound, storage_problem

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
        on_notice: Called with one line when the file was deleted or replaced and this
            session has been saved anew at its path.
    """

    def __init__(
        self,
        store: HistoryStore,
        *,
        backend: str,
        model: str | None = None,
        session_id: int | None = None,
        on_failure: Callable[[str], None] | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.backend = backend
        self.model = model
        self.session_id = session_id
        self.on_failure = on_failure
        self.on_notice = on_notice
        self.failure: str | None = None
        """Why this recorder stopped writing, or `None` while it writes."""
        self._moved: dict[int, int] = {}
        """The current answer's id, given out before the file was made anew, and its id
        now; emptied at each `begin`, so that an old id never shadows a new one."""
        self._renumbered: dict[int, int] = {}
        """Every id given out before the file was made anew, and its id now."""
        self.prompt_id: int | None = None
        """The id of the prompt `begin` stored last."""
        self.on_restart: Callable[[], None] | None = None
        """Called when a prompt finds its session deleted (by another process) and is
        saved in a new session instead."""

    def begin(self, prompt: str, *, parent: int | None = None) -> int | None:
        """Store the prompt and an empty, streaming answer; return the answer's id.

        The prompt follows `parent` (`ROOT`: it is a first prompt), or the end of the
        active branch when `None`; a prompt written in place of another (an edit) is so
        stored as its sibling. Its id is then `prompt_id`. Returns `None`, and stores
        nothing, once the file can't be written.
        """

        def write() -> int:
            # Every earlier answer has ended: no id given out before will be saved again.
            self._moved.clear()
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
            self.prompt_id = self.store.add_message(
                self.session_id, "user", prompt, parent=self.current(parent)
            )
            return self.store.add_message(
                self.session_id, "assistant", "", status="streaming", parent=self.prompt_id
            )

        return self._guarded(write)

    def retry(self, prompt_id: int) -> int | None:
        """Store a new, streaming answer to a stored prompt, beside its earlier answers
        (a regenerate); return its id, or `None` once the file can't be written."""

        def write() -> int:
            self._moved.clear()
            prompt = self.current(prompt_id)
            if self.session_id is None:
                raise SessionNotFound("no session to answer in")
            return self.store.add_message(
                self.session_id, "assistant", "", status="streaming", parent=prompt
            )

        return self._guarded(write)

    def choose(self, message_id: int) -> None:
        """Make the stored active branch run through `message_id`, as on screen."""
        self._guarded(lambda: self.store.set_active(self.current(message_id)))

    def current(self, message_id: T) -> T:
        """The id a message stored by this recorder has now: another one once the file
        was made anew and the session saved there again."""
        if isinstance(message_id, int):
            return self._renumbered.get(message_id, message_id)  # type: ignore[return-value]
        return message_id

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
                self._moved.get(message_id, message_id),
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
            moved = self.store.moved()
            if moved is not None and not self._recover(moved):
                return None
            return write()
        except (MessageNotFound, SessionNotFound):
            problem = "the session was deleted from the history meanwhile"
        except sqlite3.Error as error:
            problem = storage_problem(error)
            if problem is None:
                raise
        self._fail(problem)
        return None

    def _fail(self, problem: str) -> None:
        self.failure = f"history is not being saved: {problem} ({self.store.path})"
        if self.on_failure is not None:
            self.on_failure(self.failure)

    def _recover(self, how: str) -> bool:
        """The file was deleted or replaced (`how`): save this session at the path again.

        Returns whether writing can go on.
        """
        info = records = None
        if self.session_id is not None:  # read from the file still open, before closing it
            info = self.store.session(self.session_id)
            records = self.store.records(self.session_id)
        try:
            self.store.reopen()
        except (HistoryError, sqlite3.Error, OSError):
            self._fail(f"the file was {how}")
            return False  # the session goes on in memory: Ctrl+O still lists it
        finally:
            if info is not None and records is not None:
                self._save_again(info, records)
        if self.on_notice is not None:
            saved = "made it again" if how == "deleted" else "saved this session in the new one"
            with_session = ", with this session" if how == "deleted" and info else ""
            self.on_notice(f"the history file was {how}: {saved}{with_session} ({self.store.path})")
        return True

    def _save_again(self, info: Any, records: list[Any]) -> None:
        """Import the session read from the old file; map its message ids to the new ones."""
        session_id = self.store.import_session(
            title=info.title,
            backend=info.backend,
            model=info.model,
            created=info.created.timestamp(),
            updated=info.updated.timestamp(),
            records=records,
        )
        now = self.store.records(session_id)
        renumbered = {old.id: new.id for old, new in zip(records, now, strict=True)}
        self._moved = {
            given: renumbered.get(current, current) for given, current in self._moved.items()
        } | renumbered
        self._renumbered = {
            given: renumbered.get(current, current) for given, current in self._renumbered.items()
        } | renumbered
        self.session_id = session_id
