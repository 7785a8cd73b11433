"""Run hostile streams in real apps and capture every byte the app writes to the terminal.

`RecordingDriver` is Textual's headless driver, except that it says it is not headless,
so the app renders each frame into escape sequences exactly as it would for a terminal,
and the driver keeps them. What a stream sends must never appear in that output raw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.drivers.headless_driver import HeadlessDriver
from textual.widgets import Input

from tests.screen import screen_text
from tui import StreamView
from tui.app import STYLES

SIZE = (120, 40)

# Sequences and characters a stream in the catalogue sends, none of which the app itself
# writes: finding one in the output means the stream reached the terminal.
RAW = {
    "ESC [ 2J (clear screen)": "\x1b[2J",
    "OSC 0 (window title)": "\x1b]0;",
    "OSC 52 (clipboard)": "\x1b]52;",
    "OSC 8 (hyperlink)": "\x1b]8;",
    "C1 CSI": "\x9b",
    "C1 OSC": "\x9d",
    "NUL": "\x00",
    "backspace": "\x08",
    "carriage return": "\r",
    "RTL override": "\u202e",
    "line separator": "\u2028",
}
# Textual ends its own pointer-shape sequence (OSC 22) with BEL: any other BEL is a leak.
_TEXTUAL_OSC = re.compile(r"\x1b\]22;[a-z-]*\x07")


def leaks(output: str) -> list[str]:
    """What in `output` came raw from a stream: names from `RAW`, BEL, lone surrogates."""
    found = [name for name, raw in RAW.items() if raw in output]
    if "\x07" in _TEXTUAL_OSC.sub("", output):
        found.append("BEL")
    if re.search("[\ud800-\udfff]", output):
        found.append("lone surrogate")
    return found


class RecordingDriver(HeadlessDriver):
    """A headless driver that keeps everything the app writes to the terminal."""

    written: ClassVar[list[str]]

    @property
    def is_headless(self) -> bool:
        return False  # so that the app renders frames into terminal output

    def write(self, data: str) -> None:
        self.written.append(data)


def recording(app: App[Any]) -> list[str]:
    """Give `app` its own recording driver; return the list its output goes to."""
    written: list[str] = []
    app.driver_class = type("Recording", (RecordingDriver,), {"written": written})
    return written


class ViewApp(App[None]):
    """A StreamView and an input box: the smallest host, with something to type into."""

    CSS_PATH = [STYLES / "frame_table.tcss"]

    def compose(self) -> ComposeResult:
        yield StreamView(typewriter=0)
        yield Input(id="after")


@dataclass
class Outcome:
    """What one stream did to the app."""

    value: Any = None
    error: BaseException | None = None
    output: str = ""
    screen: str = ""
    shown: list[str] = field(default_factory=list)
    """The source of every Markdown the view shows, in order."""


async def type_into(pilot: Any, widget: Any, text: str) -> str:
    """Focus `widget`, type `text` key by key, and return what it then holds."""
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()
    return widget.value if hasattr(widget, "value") else widget.text


def settled_screen(app: App[Any]) -> str:
    return screen_text(app)
