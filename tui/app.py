"""`ChatApp`: a prompt, a message log, and a backend streaming answers into it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Static

from tui.backends import Backend, Settings, call_backend, describe_error
from tui.backends.demo import demo
from tui.history import Conversation, TurnStatus
from tui.widgets.chat_message import ChatMessage
from tui.widgets.message_log import MessageLog
from tui.widgets.prompt_input import PromptInput
from tui.widgets.turn_indicator import TurnIndicator

__all__ = ["ChatApp"]


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
    """

    CSS_PATH = [STYLES / "app.tcss", STYLES / "frame_table.tcss"]
    TITLE = "inkstream"
    BINDINGS = [
        Binding("escape", "stop", "Stop", show=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
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

    def compose(self) -> ComposeResult:
        yield Header()
        with MessageLog(id="log"):
            yield Static(Text(WELCOME), id="welcome")
        yield PromptInput(id="prompt", placeholder="Message inkstream…")
        with Horizontal(id="status-bar"):
            yield Footer()
            yield TurnIndicator(id="indicator")

    def on_mount(self) -> None:
        self.query_one(PromptInput).focus()

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

    def action_stop(self) -> None:
        """Stop the answer that is streaming; what has arrived is kept."""
        self.workers.cancel_group(self, "turn")

    @work(group="turn", exclusive=True)
    async def run_turn(self, prompt: str) -> None:
        """Send `prompt` with the conversation so far and stream the answer into the log."""
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
        try:
            stream = await call_backend(self.backend, messages, self.settings)
            turn.response = await view.write_stream(stream, cursor=self.cursor)
            turn.status = TurnStatus.FINISHED
        except asyncio.CancelledError:
            turn.status = TurnStatus.STOPPED
            answer.mark("stopped")
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
