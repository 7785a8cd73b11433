"""`ChatMessage`: one message in the log, a prompt or a streamed answer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.text import printable, printable_markdown
from tui.widgets.stream_view import StreamView

__all__ = ["ChatMessage"]


class ChatMessage(Vertical):
    """One message: the user's prompt as plain text, or an answer in a `StreamView`.

    Args:
        role: `"user"` or `"assistant"`.
        prompt: The text of a user message.
        author: The title shown on the message's border.
        typewriter: Characters per second for an answer's text; 0 for instant.
    """

    def __init__(
        self, role: str, prompt: str = "", *, author: str = "", typewriter: float = 400.0
    ) -> None:
        super().__init__(classes=f"message -{role}")
        self.role = role
        self.prompt = prompt
        self.border_title = author or role
        self.body = StreamView(typewriter=typewriter) if role == "assistant" else None
        """The `StreamView` of an answer, `None` for a prompt."""

    def compose(self) -> ComposeResult:
        if self.body is not None:
            yield self.body
        else:
            yield Static(Text(printable_markdown(self.prompt)), classes="prompt-text")

    def mark(self, status: str, detail: str = "") -> None:
        """Show how the answer ended: `"stopped"` or `"failed"`, with an optional detail."""
        self.add_class(f"-{status}")
        label = {"stopped": "■ stopped", "failed": "✖ failed"}.get(status, status)
        line = f"{label}: {detail}" if detail else label
        self.mount(Static(Text(printable(line)), classes="message-status"))
