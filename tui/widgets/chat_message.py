"""`ChatMessage`: one message in the log, a prompt or a streamed answer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.history import Turn, TurnStatus
from tui.text import printable, printable_markdown
from tui.widgets.stream_view import StreamView

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
        self.body = StreamView(typewriter=typewriter) if role == "assistant" else None
        """The `StreamView` of an answer, `None` for a prompt."""

    def compose(self) -> ComposeResult:
        if self.body is not None:
            yield self.body
        else:
            yield Static(Text(printable_markdown(self.prompt)), classes="prompt-text")

    async def on_mount(self) -> None:
        turn = self.turn
        if turn is None or self.body is None:
            return
        await self.body.write_response(turn.response)
        if turn.reasoning:
            await self.body.show_reasoning(turn.reasoning)
        if turn.tool_calls:
            await self.body.show_tool_calls(turn.tool_calls)
        if turn.status in STATUS_LABELS:
            self.mark(turn.status, turn.error or "")

    def mark(self, status: TurnStatus | str, detail: str = "") -> None:
        """Show how the answer ended, stopped, failed or interrupted, with an optional detail."""
        status = TurnStatus(status)
        self.add_class(f"-{status.value}")
        label = STATUS_LABELS.get(status, status.value)
        line = f"{label}: {detail}" if detail else label
        self.mount(Static(Text(printable(line)), classes="message-status"))
