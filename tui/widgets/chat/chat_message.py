"""`ChatMessage`: one message in the log, a prompt or a streamed answer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.history import Turn, TurnStatus
from tui.text import printable_markdown
from tui.widgets.transcript.stream_view import StreamView

__all__ = ["ChatMessage"]

STATUS_LABELS = {
    TurnStatus.STOPPED: "■ stopped",
    TurnStatus.FAILED: "✖ failed",
    TurnStatus.INTERRUPTED: "⚠ interrupted",
}


class ChatMessage(Vertical):
    """One message: the user's prompt as plain text, or an answer in a `StreamView`.

    Args:
        role: `"user"` or `"assistant"`.
        prompt: The text of a user message.
        author: The title shown on the message's border.
        typewriter: Characters per second for an answer's text; 0 for instant.
        turn: For an answer from the history: the turn whose response it shows.
    """

    def __init__(
        self,
        role: str,
        prompt: str = "",
        *,
        author: str = "",
        typewriter: float = 400.0,
        turn: Turn | None = None,
    ) -> None:
        super().__init__(classes=f"message -{role}")
        self.role = role
        self.prompt = prompt
        self.turn = turn
        self.border_title = author or role
        self.body: StreamView | None = None
        """The `StreamView` of an answer, `None` for a prompt."""
        if role == "assistant" and turn is not None:
            self.body = StreamView.finished(
                turn.response, reasoning=turn.reasoning, tool_calls=turn.tool_calls
            )
        elif role == "assistant":
            self.body = StreamView(typewriter=typewriter)

    def compose(self) -> ComposeResult:
        if self.role != "assistant" or self.body is None:
            yield Static(Text(printable_markdown(self.prompt)), classes="prompt-text")
            return
        yield self.body
        if self.turn is not None and self.turn.status in STATUS_LABELS:
            yield self._status_line(self.turn.status, self.turn.error or "")

    def mark(self, status: TurnStatus | str, detail: str = "") -> None:
        """Show how the answer ended, stopped, failed or interrupted, with an optional detail."""
        self.mount(self._status_line(TurnStatus(status), detail))

    def _status_line(self, status: TurnStatus, detail: str) -> Static:
        # Only the message's own border and its new status line depend on the class, so
        # restyle the message alone: a class change restyles every descendant, and a long
        # answer holds thousands (seconds, on Esc).
        self.add_class(f"-{status.value}", update=False)
        if self.is_mounted:
            self.app.stylesheet.update_nodes([self], animate=False)
        label = STATUS_LABELS.get(status, status.value)
        line = f"{label}: {detail}" if detail else label
        # A server's reason may span lines: they are kept, and wrapped to the width.
        return Static(Text(printable_markdown(line)), classes="message-status")
