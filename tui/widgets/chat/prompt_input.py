"""`PromptInput`: a multi-line prompt where Enter sends and earlier prompts can be recalled."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

__all__ = ["PromptInput"]

NEWLINE_KEYS = frozenset({"shift+enter", "alt+enter", "ctrl+j"})
"""Keys that insert a newline. Only Ctrl+J (a line feed) arrives distinctly everywhere:
tmux, xterm and ssh send Shift+Enter as Enter and Alt+Enter as ESC Enter, which Textual
reads as Enter, so those two work only in terminals that report them (the kitty keyboard
protocol) and are not advertised."""


class PromptInput(TextArea):
    """A multi-line prompt.

    Enter sends; Ctrl+J inserts a newline (and Shift+Enter or Alt+Enter, in a terminal
    that sends them distinctly); Up on the first
    line and Down on the last line walk through earlier prompts; Page Up and Page Down
    scroll the chat (a prompt is too short to page through).
    """

    BINDINGS = [
        Binding("enter", "submit", "Send"),
        Binding("up", "recall(-1)", "Earlier prompt", show=False),
        Binding("down", "recall(1)", "Later prompt", show=False),
        Binding("pageup", "app.page_log(-1)", "Scroll the chat up", show=False),
        Binding("pagedown", "app.page_log(1)", "Scroll the chat down", show=False),
        Binding("home", "home_or_first(-1)", "Line start, or the first turn", show=False),
        Binding("end", "home_or_first(1)", "Line end, or the last turn", show=False),
    ]

    class Submitted(Message):
        """The user sent a prompt."""

        def __init__(self, prompt_input: PromptInput, text: str) -> None:
            super().__init__()
            self.prompt_input = prompt_input
            self.text = text
            """The prompt, stripped of surrounding blank space."""

        @property
        def control(self) -> PromptInput:
            return self.prompt_input

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.placeholder = placeholder
        self.sent: list[str] = []
        """Prompts sent so far, oldest first."""
        self._recall_index = 0
        self._draft = ""

    async def on_key(self, event: events.Key) -> None:
        """Enter sends; the newline keys insert a new line (before TextArea sees them)."""
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_submit()
        elif event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.insert("\n")

    def recall_from(self, prompts: list[str]) -> None:
        """Put `prompts` (oldest first, as from earlier runs) before those sent so far, for
        Up and Down to walk through."""
        self.sent[:0] = prompts
        self._recall_index = len(self.sent)

    def action_submit(self) -> None:
        """Send the prompt, unless it is blank."""
        text = self.text.strip()
        if not text:
            return
        self.sent.append(text)
        self._recall_index = len(self.sent)
        self._draft = ""
        self.clear()
        self.post_message(self.Submitted(self, text))

    async def action_home_or_first(self, edge: int) -> None:
        """In an empty prompt, Home and End go to the chat's first and last turn (there is
        no line to move along); else to the start and end of the line, as usual."""
        if not self.text:
            await self.app.run_action(f"log_edge({edge})")
        elif edge < 0:
            self.action_cursor_line_start()
        else:
            self.action_cursor_line_end()

    def action_recall(self, step: int) -> None:
        """Move through earlier prompts from the first or last line; else move the cursor."""
        row, _ = self.cursor_location
        at_edge = row == 0 if step < 0 else row == self.document.line_count - 1
        target = self._recall_index + step
        if not at_edge or not 0 <= target <= len(self.sent):
            if step < 0:
                self.action_cursor_up()
            else:
                self.action_cursor_down()
            return
        if self._recall_index == len(self.sent):
            self._draft = self.text
        self._recall_index = target
        self.load_text(self.sent[target] if target < len(self.sent) else self._draft)
        self.move_cursor(self.document.end if step < 0 else (0, 0))
