"""How a backend tells whoever runs it what it is waiting for, or something worth a notice,
without knowing about the UI: the app (or print mode) sets the listeners for the turn.

The listeners live in a context variable, so each turn's task sees its own; a backend
called with none set reports to nobody.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["Listeners", "listening", "notice", "waiting"]


@dataclass(frozen=True)
class Listeners:
    """What to call when a backend reports: `waiting(reason)` and `notice(text)`."""

    waiting: Callable[[str], None]
    notice: Callable[[str], None]


_LISTENERS: ContextVar[Listeners | None] = ContextVar("inkstream_backend_listeners", default=None)
_NOTICED: set[str] = set()


@contextlib.contextmanager
def listening(listeners: Listeners) -> Iterator[None]:
    """Send what backends report, while the `with` block runs, to `listeners`."""
    token = _LISTENERS.set(listeners)
    try:
        yield
    finally:
        _LISTENERS.reset(token)


def waiting(reason: str) -> None:
    """Say why no token has come yet, such as "the model is loading".

    Example:
        >>> waiting("the model is loading")  # with no listener: nothing happens
    """
    listeners = _LISTENERS.get()
    if listeners is not None:
        listeners.waiting(reason)


def notice(text: str, *, once: bool = True) -> None:
    """Tell the user something, such as a model name the server ignores.

    With `once`, a text already told in this process is not told again.

    Example:
        >>> notice("the server serves 'tiny', not 'gpt-4o'")
    """
    listeners = _LISTENERS.get()
    if listeners is None or (once and text in _NOTICED):
        return
    _NOTICED.add(text)
    listeners.notice(text)
