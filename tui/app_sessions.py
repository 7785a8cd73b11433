"""`SessionsApp`: the part of the chat app that opens, starts, renames and deletes
sessions, and keeps the header naming the backend, the model and the session's title."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import App
from textual.widgets import Static
from textual.worker import WorkerCancelled, WorkerFailed

from tui.backends import Settings
from tui.history import Conversation
from tui.history.errors import MessageNotFound, SessionNotFound
from tui.history.recording import SessionRecorder
from tui.labels import backend_label, header_line
from tui.text import printable
from tui.widgets.chat.message_log import MessageLog

if TYPE_CHECKING:
    from tui.history.store import HistoryStore
    from tui.widgets.chat.session_list import SessionList
    from tui.widgets.chat.session_rows import Chosen

__all__ = ["ENDING_GRACE", "WELCOME", "SessionsApp"]

ENDING_GRACE = 3.0
"""Seconds that quitting, a new chat, SIGTERM or SIGHUP waits for a streaming answer to
be saved."""

WELCOME = (
    "Type a message and press Enter. Ctrl+J starts a new line; Up and Down recall earlier "
    "prompts; Esc stops an answer."
)


class SessionsApp(App[None]):
    """Sessions for `ChatApp`, which sets the attributes declared here."""

    backend_name: str
    settings: Settings
    history: HistoryStore | None
    recorder: SessionRecorder | None
    conversation: Conversation
    history_problem: str | None
    session_title: str | None = None
    """The open session's title, once it has one."""

    @property
    def answer_author(self) -> str:
        """The title on an answer's border: the backend and the model."""
        return backend_label(self.backend_name, self.settings.model)

    @property
    def busy(self) -> bool:
        """Whether an answer is streaming."""
        return any(worker.group == "turn" and not worker.is_finished for worker in self.workers)

    def show_title(self, title: str | None = None) -> None:
        """Name the backend, the model and the session's title (`title`, or the stored one
        once the first turn has made the session) in the header."""
        session_id = self.recorder.session_id if self.recorder is not None else None
        if title is None and self.history is not None and session_id is not None:
            with contextlib.suppress(SessionNotFound):  # deleted meanwhile: keep the old one
                title = self.history.session(session_id).title
        self.session_title = title or self.session_title
        self.sub_title = header_line(
            self.backend_name, self.settings.model, printable(self.session_title or "")
        )

    def _recorder(self, session_id: int | None) -> SessionRecorder | None:
        if self.history is None:
            return None
        recorder = SessionRecorder(
            self.history,
            backend=self.backend_name,
            model=self.settings.model,
            session_id=session_id,
        )
        recorder.on_notice = lambda line: (
            self.notify(line, severity="warning", timeout=10, markup=False)
            if recorder is self.recorder
            else None
        )
        # A turn that ends after its chat was replaced (its session deleted) warns no more.
        recorder.on_failure = lambda problem: (
            self._history_failed(problem) if recorder is self.recorder else None
        )
        recorder.on_restart = self._session_gone
        return recorder

    def _session_gone(self) -> None:
        """The open session was deleted by another process: say so above the new turn,
        which is saved in a new session."""
        self.session_title = None
        note = "This session was deleted elsewhere: from here on it is saved as a new one."
        log = self.query_one(MessageLog)
        turn = list(log.children)[-2:]  # the new prompt and its answer, mounted already
        log.mount(Static(Text(note), classes="log-note"), before=turn[0] if turn else None)
        self.notify(note, severity="warning", markup=False)

    def _history_failed(self, problem: str) -> None:
        """Warn, once, that the history file can't be written; the chat carries on."""
        if self.history_problem is None:
            self.notify(problem, severity="warning", timeout=10, markup=False)
        self.history_problem = problem

    async def stop_turn(self) -> None:
        """Stop the streaming turn and wait, a little, for it to mark and save itself."""
        turns = [w for w in self.workers if w.group == "turn" and not w.is_finished]
        self.workers.cancel_group(self, "turn")
        with contextlib.suppress(TimeoutError, WorkerCancelled, WorkerFailed):
            await asyncio.wait_for(self.workers.wait_for_complete(turns), ENDING_GRACE)

    async def open_session(self, session_id: int, at_message: int | None = None) -> None:
        """Show a stored session and continue it: its turns are the context of the next.

        Its active branch is shown, or with `at_message` the branch through it.

        Args:
            session_id: The session.
            at_message: A message to scroll to (a search hit, of any branch), whose
                branch becomes the active one; else the end is shown.
        """
        if self.history is None:
            raise RuntimeError("This app has no history store to open sessions from.")
        self.workers.cancel_group(self, "turn")
        info = self.history.session(session_id)
        if at_message is not None:
            with contextlib.suppress(MessageNotFound):  # deleted meanwhile: the active one
                self.history.set_active(at_message)
        messages = self.history.messages(session_id)
        self.conversation = Conversation.from_messages(messages)
        self.recorder = self._recorder(session_id)
        self.session_title = None
        self.show_title(info.title)
        log = self.query_one(MessageLog)
        await log.show_turns(self.conversation.turns)
        ids = [message.id for message in messages]
        if at_message in ids:
            prompts_before = messages[: ids.index(at_message) + 1]
            turn = sum(message.role == "user" for message in prompts_before) - 1
            await log.scroll_to_turn(max(turn, 0))

    async def action_new_chat(self) -> None:
        """Start a new session; the current one stays in the history. An answer still
        streaming is stopped first, and saved as stopped, as Esc would."""
        if not self.busy:
            await self.new_chat()
            return
        await self.stop_turn()
        await self.new_chat("Stopped the answer: new chat. (It is saved as stopped.)")

    async def new_chat(self, note: str | None = None) -> None:
        """Clear the screen into a new chat, saying `note` (why) above the welcome text."""
        self.workers.cancel_group(self, "turn")
        self.conversation = Conversation()
        self.recorder = self._recorder(None)
        self.session_title = None
        self.show_title()
        log = self.query_one(MessageLog)
        await log.show_turns([])
        welcome = WELCOME if note is None else f"{note}\n\n{WELCOME}"
        await log.mount(Static(Text(welcome), id="welcome"))
        if note is not None:
            self.notify(note, markup=False)

    def _is_open(self, session_id: int) -> bool:
        return self.recorder is not None and session_id == self.recorder.session_id

    async def on_session_list_deleted(self, event: SessionList.Deleted) -> None:
        """Deleting the open session clears the screen into a new chat, so that the next
        turn is saved in a session of its own instead of into one that is gone."""
        if self._is_open(event.session_id):
            await self.new_chat("The open session was deleted: this is a new chat.")

    def on_session_list_renamed(self, event: SessionList.Renamed) -> None:
        """Renaming the open session renames it in the header too."""
        if self._is_open(event.session_id):
            self.show_title(event.title)

    def action_sessions(self) -> None:
        """Open the session list: open, rename, delete and search sessions."""
        if self.history is None:
            self.notify("History is off: start inkstream without --no-history.", severity="warning")
            return

        async def chosen(choice: Chosen | None) -> None:
            if choice is not None:
                await self.open_session(choice.session_id, choice.message_id)

        from tui.widgets.chat.session_list import SessionList

        current = self.recorder.session_id if self.recorder else None
        self.push_screen(SessionList(self.history, current=current), chosen)
