"""`ChatMessage`: one message in the log, a prompt or a streamed answer."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from tui.history import Turn, TurnStatus
from tui.text import printable_markdown
from tui.widgets.stream_view import StreamView

__all__ = ["ChatMessage"]

STATUS_LABELS = {
    TurnStatus.STOPPED: "■ stopped",
    TurnStatus.FAILED: "✖ failed",
    TurnStatus.INTERRUPTED: "⚠ interrupted",
}


class ChatMessage(Vertical):
    """One message: the user's prompt as plain text, or an answer in a `StreamView`.

    A finished answer far from the screen can be folded: its widgets are swapped for a
    blank of the same height, which frees their memory, and built again from the
    response when it is unfolded. `MessageLog` does both as the log scrolls.

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
        """The `StreamView` of an answer, `None` for a prompt or while folded."""
        self._blank: Widget | None = None
        self._kept: tuple[Any, str, list[Any]] | None = None
        self._swapping = False
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

    @property
    def folded(self) -> bool:
        """Whether the answer's widgets are swapped for a blank of the same height."""
        return self._blank is not None

    @property
    def settled(self) -> bool:
        """Whether nothing in it changes until it is unfolded: a prompt, or a folded answer.
        A log may hide a settled message far from the screen (see `folded_runs`)."""
        return self.role != "assistant" or self.folded

    def _finished_parts(self) -> tuple[Any, str, list[Any]] | None:
        """The response, reasoning and tool calls of a finished answer, else `None`."""
        body = self.body
        if body is None or body._streaming or not body.is_mounted:
            return None
        if self.turn is not None:
            return self.turn.response, self.turn.reasoning, list(self.turn.tool_calls)
        if not body.children:  # a live answer that has not started
            return None
        response = body.response
        return response.value, response.reasoning, list(response.tool_calls)

    async def fold(self) -> None:
        """Swap a finished answer's widgets for a blank of the same height; else do nothing."""
        body = self.body
        parts = self._finished_parts()
        if body is None or parts is None or not body.outer_size.height or self._swapping:
            return
        blank = Static(classes="folded-answer")  # blank: a bare Widget would show its name
        blank.styles.height = body.outer_size.height
        await self._swap(body, blank)
        self._blank, self._kept, self.body = blank, parts, None
        self._forget_removed()

    def _forget_removed(self) -> None:
        """Drop what Textual cached of the children it had: its list of the displayed ones
        and its arrangements of them. A folded answer far away is neither restyled nor laid
        out again, so those would keep its removed widgets (a few hundred kB) alive."""
        self.displayed_children  # noqa: B018  (reading it renews the cached list)
        self._clear_arrangement_cache()

    async def unfold(self) -> None:
        """Build a folded answer's widgets again, in place of its blank."""
        if self._blank is None or self._kept is None or self._swapping:
            return
        value, reasoning, tool_calls = self._kept
        body = StreamView.finished(value, reasoning=reasoning, tool_calls=tool_calls)
        await self._swap(self._blank, body)
        self._blank, self._kept, self.body = None, None, body

    async def _swap(self, old: Widget, new: Widget) -> None:
        """Put `new` in the place of `old`. `new` is mounted hidden, which awaits all of
        it (a `Markdown` parses and mounts its blocks in its mount handler), and then
        shown as `old` is hidden, in one step: no layout sees both or neither, so the
        message keeps its height, and its loading costs no layout passes."""
        self._swapping = True
        try:
            new.display = False
            await self.mount(new, before=old)
            old.display = False
            new.display = True
            await old.remove()
        finally:
            self._swapping = False

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
