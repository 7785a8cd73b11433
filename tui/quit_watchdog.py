"""Ctrl+Q ends the app even while foreign code holds the event loop.

A backend's async generator can call `time.sleep(25)`, or a chunk's code can spin, on the
event loop itself; then no key is handled and Ctrl+Q would wait for it. The driver's input
thread still reads keys, so the app's driver tells `QuitWatchdog` of each Ctrl+Q. If the
loop has not beaten its heartbeat for `STALL` seconds then, or the app has still not
ended `DEADLINE` seconds after the key (Textual's own shutdown can take that long on a
loaded machine), the watchdog saves the streaming answer as stopped from its own thread,
restores the terminal and ends the process. Otherwise Ctrl+Q goes the ordinary way.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["BEAT", "DEADLINE", "STALL", "TERMINAL_RESET", "QuitWatchdog"]

BEAT = 0.1
"""Seconds between the loop's heartbeats."""
STALL = 0.4
"""Seconds without a heartbeat after which the loop counts as held."""
DEADLINE = 0.5
"""Seconds after a Ctrl+Q by which the app has ended, or the watchdog ends it."""
SAVE_LIMIT = 0.2
"""Seconds the watchdog gives the save before it leaves without it."""
TERMINAL_RESET = (
    "\x1b[<u"  # the kitty keyboard protocol off
    "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"  # mouse modes off
    "\x1b[?2004l\x1b[?1004l"  # bracketed paste, focus events off
    "\x1b[?1049l\x1b[?25h\x1b[0m"  # the main screen, the cursor shown
)
"""What puts back a terminal that Textual's application mode changed."""


class QuitWatchdog:
    """Watches the event loop's heartbeat after each Ctrl+Q, and ends a held app.

    Args:
        save: Saves the streaming answer as stopped; called on the watchdog's thread.
        return_code: The process's exit status when the watchdog ends it.
    """

    def __init__(self, save: Callable[[], None], return_code: int = 0) -> None:
        self.save = save
        self.return_code = return_code
        self.last_beat = time.monotonic()
        self._watching = threading.Lock()
        self._terminal: tuple[int, Any] | None = None

    def beat(self) -> None:
        """Called by the event loop every `BEAT` seconds."""
        self.last_beat = time.monotonic()

    def keep_terminal(self) -> None:
        """Remember the terminal's settings before the app changes them, to restore."""
        with contextlib.suppress(ImportError, OSError, ValueError, AttributeError):
            import termios

            stdin = sys.__stdin__
            if stdin is not None and stdin.isatty():
                self._terminal = (stdin.fileno(), termios.tcgetattr(stdin.fileno()))

    def quit_pressed(self) -> None:
        """Ctrl+Q was read (on the driver's input thread): watch the loop for a while."""
        if self._watching.acquire(blocking=False):
            threading.Thread(target=self._watch, name="inkstream-quit", daemon=True).start()

    def _watch(self) -> None:
        try:
            deadline = time.monotonic() + DEADLINE
            while True:
                time.sleep(BEAT / 2)
                now = time.monotonic()
                if now - self.last_beat > STALL or now > deadline:
                    self._end()
        finally:
            self._watching.release()

    def _end(self) -> None:
        """Save what can be saved in time, put the terminal back and leave."""
        saver = threading.Thread(target=self.save, name="inkstream-save", daemon=True)
        saver.start()
        saver.join(SAVE_LIMIT)
        self._restore_terminal()
        os._exit(self.return_code)

    def _restore_terminal(self) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            for stream in (sys.__stderr__, sys.__stdout__):
                if stream is not None and stream.isatty():
                    os.write(stream.fileno(), TERMINAL_RESET.encode())
                    break
        if self._terminal is not None:
            with contextlib.suppress(ImportError, OSError):
                import termios

                termios.tcsetattr(self._terminal[0], termios.TCSANOW, self._terminal[1])
