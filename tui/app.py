"""`ChatApp`: a prompt, a message log, and a backend streaming answers into it."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Header, Static
from textual.worker import WorkerCancelled, WorkerFailed

from tui.backends import Backend, Settings, call_backend, describe_error
from tui.backends.demo import demo
from tui.backends.progress import Listeners, listening
from tui.history import Conversation, Turn, TurnStatus
from tui.history.recording import SessionRecorder
from tui.signals import ending_signals
from tui.text import printable
from tui.widgets.message_log import MessageLog
from tui.widgets.prompt_input import PromptInput
from tui.widgets.turn_indicator import TurnIndicator

if TYPE_CHECKING:
    from tui.history.store import HistoryStore
    from tui.widgets.stream_view import StreamView

# The first frame needs none of these (Markdown, the render table, the session list), so
# they are imported on first use, or on a thread once the first frame is up: see `_warm`.
LATER = ("tui.widgets.chat_message", "tui.widgets.session_list")

__all__ = ["ChatApp"]

SAVE_EVERY = 1.0
"""Seconds between saves of a streaming answer."""
ENDING_GRACE = 3.0
"""Seconds that quitting, SIGTERM or SIGHUP waits for a streaming answer to be saved."""
HANGUP_GRACE = ENDING_GRACE + 5.0
"""Seconds after SIGHUP at which the app leaves even if shutting Textual down is stuck."""


def _styles_dir() -> Path:
    """`styles/` beside the package in a checkout, or inside it in an installed wheel."""
    package = Path(__file__).resolve().parent
    inside = package / "styles"
    return inside if inside.is_dir() else package.parent / "styles"


STYLES = _styles_dir()

WELCOME = (
    "Type a message and press Enter. Shift+Enter, Alt+Enter or Ctrl+J starts a new line; "
    "Up and Down recall earlier prompts; Esc stops an answer."
)


class ChatApp(App[None]):
    """A chat whose answers are streams, written as they arrive.

    Example:
        ```python
        from tui import ChatApp

        def backend(messages):
            yield "You said: " + messages[-1]["content"]

        ChatApp(backend=backend, typewriter=300).run()
        ```

    Args:
        backend: Called with the conversation as OpenAI-style messages; returns a stream.
        backend_name: Shown in the header; the backend's `__name__` if not given.
        typewriter: Characters per second at which answers are typed; 0 for instant.
        cursor: Shown after an answer's text while it streams; `None` or "" for none.
        settings: Passed to a backend that accepts a `settings` argument.
        theme: A Textual theme name, such as "textual-light".
        history: Where sessions are saved and opened from; `None` keeps the chat in memory.
        session_id: A stored session to open and continue.
    """

    CSS_PATH = [STYLES / "app.tcss", STYLES / "frame_table.tcss"]
    TITLE = "inkstream"
    BINDINGS = [
        Binding("escape", "stop", "Stop", show=True),
        Binding("ctrl+o", "sessions", "Sessions"),
        Binding("ctrl+n", "new_chat", "New chat"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("pageup", "page_log(-1)", "Page up", show=False),
        Binding("pagedown", "page_log(1)", "Page down", show=False),
    ]

    def __init__(
        self,
        backend: Backend = demo,
        *,
        backend_name: str | None = None,
        typewriter: float = 400.0,
        cursor: str | None = "▌",
        settings: Settings | None = None,
        theme: str | None = None,
        history: HistoryStore | None = None,
        session_id: int | None = None,
    ) -> None:
        super().__init__()
        if theme is not None:
            self.theme = theme
        self.backend = backend
        self.settings = settings or Settings()
        """Model, temperature, system prompt and server, passed to backends that take them."""
        self.backend_name = backend_name or getattr(backend, "__name__", type(backend).__name__)
        self.typewriter = typewriter
        self.cursor = cursor or None
        self.conversation = Conversation()
        """Every turn so far: prompt, full response, side parts and status."""
        self.sub_title = f"backend: {self.backend_name}"
        self.history = history
        """Where sessions are saved; `None` keeps the chat in memory only."""
        self.history_problem: str | None = None
        """Why the history stopped being saved, once it has; shown once as a warning."""
        self.recorder = self._recorder(session_id)
        self._open_on_mount = session_id
        self.ended_by: int | None = None
        """The signal (SIGTERM, SIGHUP) that ended the app, if one did."""
        self._ending: asyncio.Task[None] | None = None

    def _recorder(self, session_id: int | None) -> SessionRecorder | None:
        if self.history is None:
            return None
        return SessionRecorder(
            self.history,
            backend=self.backend_name,
            model=self.settings.model,
            session_id=session_id,
            on_failure=self._history_failed,
        )

    def _history_failed(self, problem: str) -> None:
        """Warn, once, that the history file can't be written; the chat carries on."""
        if self.history_problem is None:
            self.notify(problem, severity="warning", timeout=10, markup=False)
        self.history_problem = problem

    async def run_async(self, **options: Any) -> None:
        """Run the app; SIGTERM and SIGHUP end it cleanly, saving a streaming answer."""
        with ending_signals(asyncio.get_running_loop(), self._end_on_signal):
            return await super().run_async(**options)

    def _end_on_signal(self, number: int) -> None:
        if self._ending is None:
            self.ended_by = number
            if number == getattr(signal, "SIGHUP", None):
                # The terminal is gone. Textual's shutdown can block for ever writing
                # to it (its writer thread's queue stays full), so once the answer has
                # had its time to be saved, leave without it: nobody sees the screen.
                watchdog = threading.Timer(HANGUP_GRACE, os._exit, args=(128 + number,))
                watchdog.daemon = True
                watchdog.start()
        self._end_soon(128 + number)

    async def action_quit(self) -> None:
        """Quit; an answer still streaming is stopped and saved first, as Esc would."""
        self._end_soon(0)

    def _end_soon(self, return_code: int) -> None:
        if self._ending is None:
            self._ending = asyncio.create_task(self._end(return_code))

    async def _end(self, return_code: int) -> None:
        """Stop the turn streaming and let it save while the screen is still there, then
        exit. (Cancelled later, at shutdown, it would find its widgets gone.)"""
        turns = [w for w in self.workers if w.group == "turn" and not w.is_finished]
        self.workers.cancel_group(self, "turn")
        with contextlib.suppress(TimeoutError, WorkerCancelled, WorkerFailed):
            await asyncio.wait_for(self.workers.wait_for_complete(turns), ENDING_GRACE)
        self.exit(return_code=return_code)

    def compose(self) -> ComposeResult:
        yield Header()
        with MessageLog(self._turn_widgets, id="log"):
            yield Static(Text(WELCOME), id="welcome")
        yield PromptInput(id="prompt", placeholder="Message inkstream…")
        with Horizontal(id="status-bar"):
            yield Footer()
            yield TurnIndicator(id="indicator")

    async def on_mount(self) -> None:
        self.query_one(PromptInput).focus()
        self.call_after_refresh(self._warm)
        if self._open_on_mount is not None:
            await self.open_session(self._open_on_mount)

    def _warm(self) -> None:
        """Import what the first answer needs on a thread, so it is ready by then."""
        threading.Thread(target=lambda: [*map(importlib.import_module, LATER)], daemon=True).start()

    def _turn_widgets(self, turn: Turn) -> list[Widget]:
        """The prompt and the answer of a stored turn, as the log shows them."""
        from tui.widgets.chat_message import ChatMessage

        return [
            ChatMessage("user", turn.prompt, author="you"),
            ChatMessage("assistant", author=self.backend_name, turn=turn),
        ]

    async def open_session(self, session_id: int) -> None:
        """Show a stored session and continue it: its turns are the context of the next."""
        if self.history is None:
            raise RuntimeError("This app has no history store to open sessions from.")
        self.workers.cancel_group(self, "turn")
        info = self.history.session(session_id)
        self.conversation = Conversation.from_messages(self.history.messages(session_id))
        self.recorder = self._recorder(session_id)
        self.sub_title = f"backend: {self.backend_name} · {info.title}"
        await self.query_one(MessageLog).show_turns(self.conversation.turns)

    async def action_new_chat(self) -> None:
        """Start a new session; the current one stays in the history."""
        self.workers.cancel_group(self, "turn")
        self.conversation = Conversation()
        self.recorder = self._recorder(None)
        self.sub_title = f"backend: {self.backend_name}"
        log = self.query_one(MessageLog)
        await log.show_turns([])
        await log.mount(Static(Text(WELCOME), id="welcome"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sessions":
            return self.history is not None  # hidden from the footer without a history
        return True

    def action_sessions(self) -> None:
        """Open the session list: open, rename, delete and search sessions."""
        if self.history is None:
            self.notify("History is off: start inkstream without --no-history.", severity="warning")
            return

        async def chosen(session_id: int | None) -> None:
            if session_id is not None:
                await self.open_session(session_id)

        from tui.widgets.session_list import SessionList

        current = self.recorder.session_id if self.recorder else None
        self.push_screen(SessionList(self.history, current=current), chosen)

    @property
    def busy(self) -> bool:
        """Whether an answer is streaming."""
        return any(worker.group == "turn" and not worker.is_finished for worker in self.workers)

    def on_prompt_input_submitted(self, event: PromptInput.Submitted) -> None:
        if self.busy:
            event.prompt_input.load_text(event.text)  # keep it for when the answer is done
            self.notify("An answer is still streaming: press Esc to stop it.", severity="warning")
            return
        self.run_turn(event.text)

    def action_page_log(self, pages: int) -> None:
        """Scroll the transcript a page up (-1) or down (1), from the prompt too."""
        log = self.query_one(MessageLog)
        log.scroll_page_up() if pages < 0 else log.scroll_page_down()

    def action_stop(self) -> None:
        """Stop the answer that is streaming; what has arrived is kept."""
        self.workers.cancel_group(self, "turn")

    @work(group="turn", exclusive=True)
    async def run_turn(self, prompt: str) -> None:
        """Send `prompt` with the conversation so far and stream the answer into the log."""
        from tui.widgets.chat_message import ChatMessage

        log = self.query_one(MessageLog)
        for welcome in log.query("#welcome"):
            await welcome.remove()
        turn = self.conversation.start(prompt)
        messages = self.conversation.messages()
        answer = ChatMessage("assistant", author=self.backend_name, typewriter=self.typewriter)
        await log.mount_all([ChatMessage("user", prompt, author="you"), answer])
        log.anchor()
        view = answer.body
        assert view is not None
        indicator = self.query_one(TurnIndicator)
        indicator.follow(view)
        message_id = self.recorder.begin(prompt) if self.recorder else None
        saver = self._saving(message_id, view)
        listeners = Listeners(indicator.waiting_for, self._backend_notice)
        try:
            with listening(listeners):
                stream = await call_backend(self.backend, messages, self.settings)
                turn.response = await view.write_stream(stream, cursor=self.cursor)
            turn.status = TurnStatus.FINISHED
        except asyncio.CancelledError:
            turn.status = TurnStatus.STOPPED if self.ended_by is None else TurnStatus.INTERRUPTED
            answer.mark(turn.status)
            raise
        except Exception as error:
            turn.status = TurnStatus.FAILED
            turn.error = describe_error(error)
            answer.mark("failed", turn.error)
        finally:
            turn.response = view.response.value
            turn.reasoning = view.response.reasoning
            turn.tool_calls = list(view.response.tool_calls)
            indicator.stop()
            if saver is not None:
                saver.stop()
            if self.recorder is not None and message_id is not None:
                self.recorder.save(message_id, view.response, turn.status, turn.error)

    def _backend_notice(self, text: str) -> None:
        self.notify(printable(text), severity="warning", timeout=10, markup=False)

    def _saving(self, message_id: int | None, view: StreamView) -> Timer | None:
        """Save the streaming answer every second, so a crash loses at most a second."""
        recorder = self.recorder
        if recorder is None or message_id is None:
            return None
        return self.set_interval(
            SAVE_EVERY, lambda: recorder.save(message_id, view.response, TurnStatus.STREAMING)
        )
