"""A Textual driver class that tells a `QuitWatchdog` of each Ctrl+Q it reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual import messages
    from textual.driver import Driver

    from tui.quit_watchdog import QuitWatchdog

__all__ = ["watched_driver"]


def watched_driver(base: type[Driver], watchdog: QuitWatchdog) -> type[Driver]:
    """A subclass of `base` whose input thread tells `watchdog` when Ctrl+Q is pressed.

    `Driver.process_message` is where every driver hands an input event on, on its input
    thread, so this works even while the event loop is held.
    """

    class WatchedDriver(base):  # type: ignore[valid-type, misc]
        def process_message(self, message: messages.Message) -> None:
            if isinstance(message, events.Key) and message.key == "ctrl+q":
                watchdog.quit_pressed()
            super().process_message(message)

    WatchedDriver.__name__ = WatchedDriver.__qualname__ = f"Watched{base.__name__}"
    return WatchedDriver
