"""SIGTERM and SIGHUP end the app the way quitting does, instead of killing it mid-frame.

Python's default for both is to die at once: the terminal is left in the alternate
screen with the cursor hidden and mouse reporting on, and an answer that is streaming
loses whatever arrived since its last save. `ending_signals` routes them to a callback on
the event loop instead, so the app can save the answer and restore the terminal.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["ENDING_SIGNALS", "ending_signals"]

ENDING_SIGNALS = ("SIGTERM", "SIGHUP")
"""The signals that ask a terminal program to end: `kill`, and the terminal closing."""


@contextmanager
def ending_signals(
    loop: asyncio.AbstractEventLoop, handler: Callable[[int], None]
) -> Iterator[list[int]]:
    """Call `handler(signal_number)` on `loop` for SIGTERM and SIGHUP while inside.

    Only the main thread can receive signals, so elsewhere (and on Windows, which has
    neither signal) nothing is installed and the list of signals handled is empty.

    Example:
        >>> async def main():
        ...     with ending_signals(asyncio.get_running_loop(), print) as handled:
        ...         return [signal.Signals(number).name for number in handled]
        >>> asyncio.run(main()) if hasattr(signal, "SIGHUP") else ["SIGTERM", "SIGHUP"]
        ['SIGTERM', 'SIGHUP']
    """
    handled: list[int] = []
    if threading.current_thread() is threading.main_thread():
        for name in ENDING_SIGNALS:
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                loop.add_signal_handler(number, handler, int(number))
            except (NotImplementedError, RuntimeError, ValueError):
                continue  # a loop that can't take signal handlers
            handled.append(int(number))
    try:
        yield handled
    finally:
        for number in handled:
            loop.remove_signal_handler(number)
