"""`ChatApp`: a prompt, a message log, and a backend streaming answers into it."""

from __future__ import annotations

import asyncio
import importlib
import os
import signal
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Header, HelpPanel, Static

from tui.app_sessions import ENDING_GRACE, WELCOME, SessionsApp
from tui.backends import Backend, Settings, call_backend, describe_error
from tui.backends.demo import demo
from tui.backends.progress import Listeners, listening
from tui.history import Conversation, Turn, TurnStatus
from tui.quit_watchdog import BEAT, QuitWatchdog
from tui.quit_watchdog_driver import watched_driver
from tui.signals import ending_signals
from tui.text import printable
from tui.widgets.chat.message_log import MessageLog
from tui.widgets.chat.prompt_input import PromptInput
from tui.widgets.chat.turn_indicator import TurnIndicator

if TYPE_CHECKING:
    from textual.driver import Driver

    from tui.history.recording import SessionRecorder
    from tui.history.store import HistoryStore
    from tui.state import AppState
    from tui.widgets.transcript.stream_view import StreamView

# The first frame needs none of these (Markdown, the render table, the session list), so
# they are imported on first use, or on a thread once the first frame is up: see `_warm`.
LATER = ("tui.widgets.chat.chat_message", "tui.widgets.chat.session_list")

__all__ = ["ChatApp"]

SAVE_EVERY = 1.0
"""Seconds between saves of a streaming answer."""
HANGUP_GRACE = ENDING_GRACE + 5.0
"""Seconds after SIGHUP at which the app leaves even if shutting Textual down is stuck."""


def _styles_dir() -> Path:
    """`styles/` beside the package in a checkout, or inside it in an installed wheel."""
    package = Path(__file__).resolve().parent
    inside = package / "styles"
    return inside if inside.is_dir() else package.parent / "styles"


STYLES = _styles_dir()


class ChatApp(SessionsApp):
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
        state: Where the theme picked in the command palette is remembered; `None`
            remembers nothing.
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
        Binding("ctrl+home", "log_edge(-1)", "First turn", show=False),
        Binding("ctrl+end", "log_edge(1)", "Last turn", show=False),
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
        state: AppState | None = None,
    ) -> None:
        self.quit_watchdog = QuitWatchdog(self._save_stopped)
        """Ends the app on Ctrl+Q when foreign code holds the event loop."""
        self._save_now: Callable[[TurnStatus], None] | None = None
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
        self.history = history
        """Where sessions are saved; `None` keeps the chat in memory only."""
        self.history_problem: str | None = None
        """Why the history stopped being saved, once it has; shown once as a warning."""
        self.recorder = self._recorder(session_id)
        self._open_on_mount = session_id
        self.ended_by: int | None = None
        """The signal (SIGTERM, SIGHUP) that ended the app, if one did."""
        self._ending: asyncio.Task[None] | None = None
        self.state = state
        self.show_title()

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this platform, telling `quit_watchdog` of each Ctrl+Q."""
        return watched_driver(super().get_driver_class(), self.quit_watchdog)

    def _save_stopped(self) -> None:
        """Save the streaming answer as stopped; for the watchdog, on its own thread."""
        if self._save_now is not None:
            self._save_now(TurnStatus.STOPPED)

    async def run_async(self, **options: Any) -> None:
        """Run the app; SIGTERM and SIGHUP end it cleanly, saving a streaming answer."""
        self.quit_watchdog.keep_terminal()
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
        await self.stop_turn()
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
        self.set_interval(BEAT, self.quit_watchdog.beat)
        prompt = self.query_one(PromptInput)
        prompt.focus()
        if self.history is not None:
            prompt.recall_from(self.history.prompts())  # Up recalls them, as in a shell
        self.call_after_refresh(self._warm)
        if self.state is not None:
            # After the first refresh, so the theme set at start is not taken for a pick.
            state = self.state
            self.call_after_refresh(
                self.theme_changed_signal.subscribe,
                self,
                lambda theme: state.remember_theme(theme.name),
            )
        if self._open_on_mount is not None:
            await self.open_session(self._open_on_mount)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's commands in the palette, then the app's: see `tui.commands`."""
        from tui.commands import app_commands

        yield from super().get_system_commands(screen)
        yield from app_commands(self)

    def _warm(self) -> None:
        """Import what the first answer needs on a thread, so it is ready by then."""
        threading.Thread(target=lambda: [*map(importlib.import_module, LATER)], daemon=True).start()

    def _turn_widgets(self, turn: Turn) -> list[Widget]:
        """The prompt and the answer of a stored turn, as the log shows them."""
        from tui.widgets.chat.chat_message import ChatMessage

        return [
            ChatMessage("user", turn.prompt, author="you"),
            ChatMessage("assistant", author=self.answer_author, turn=turn),
        ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sessions":
            return self.history is not None  # hidden from the footer without a history
        return True

    def on_prompt_input_submitted(self, event: PromptInput.Submitted) -> None:
        if self.busy:
            event.prompt_input.load_text(event.text)  # keep it for when the answer is done
            self.notify("An answer is still streaming: press Esc to stop it.", severity="warning")
            return
        self.run_turn(event.text)

    def action_page_log(self, pages: int) -> None:
        """Scroll the transcript a page up (-1) or down (1), from the prompt too."""
        log = self.query_one(MessageLog)
        log.scroll_page_up(animate=False) if pages < 0 else log.scroll_page_down(animate=False)

    async def action_log_edge(self, edge: int) -> None:
        """Show the first turn (-1), mounting the older ones, or the last (1)."""
        log = self.query_one(MessageLog)
        if edge < 0:
            await log.scroll_to_first()
        else:
            log.scroll_end(animate=False)
            log.anchor()

    def action_stop(self) -> None:
        """Close the Keys panel if it is open; else stop the answer that is streaming,
        keeping what has arrived; with none, put the focus back on the prompt."""
        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
            return
        if not self.busy:  # on a table or a fold of the chat: back to the prompt
            self.query_one(PromptInput).focus()
        self.workers.cancel_group(self, "turn")

    @work(group="turn", exclusive=True)
    async def run_turn(self, prompt: str) -> None:
        """Send `prompt` with the conversation so far and stream the answer into the log."""
        from tui.widgets.chat.chat_message import ChatMessage

        log = self.query_one(MessageLog)
        for welcome in log.query("#welcome"):
            await welcome.remove()
        turn = self.conversation.start(prompt)
        messages = self.conversation.messages()
        answer = ChatMessage(
            "assistant",
            author=self.answer_author,
            typewriter=self.typewriter,
        )
        await log.mount_all([ChatMessage("user", prompt, author="you"), answer])
        log.anchor()
        view = answer.body
        assert view is not None
        indicator = self.query_one(TurnIndicator)
        indicator.follow(view)
        recorder = self.recorder  # a new chat or session replaces it while this turn ends
        message_id = recorder.begin(prompt) if recorder else None
        if recorder is not None and message_id is not None:
            self._save_now = lambda status: recorder.save(message_id, view.response, status)
        if self.session_title is None:
            self.show_title()  # the first prompt has made the session and its title
        saver = self._saving(recorder, message_id, view)
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
            self._save_now = None
            if saver is not None:
                saver.stop()
            if recorder is not None and message_id is not None:
                recorder.save(message_id, view.response, turn.status, turn.error)

    def _backend_notice(self, text: str) -> None:
        self.notify(printable(text), severity="warning", timeout=10, markup=False)

    def _saving(
        self, recorder: SessionRecorder | None, message_id: int | None, view: StreamView
    ) -> Timer | None:
        """Save the streaming answer every second, so a crash loses at most a second."""
        if recorder is None or message_id is None:
            return None
        return self.set_interval(
            SAVE_EVERY, lambda: recorder.save(message_id, view.response, TurnStatus.STREAMING)
        )
