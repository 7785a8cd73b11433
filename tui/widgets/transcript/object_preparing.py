"""Prepare an object for the screen on a thread, within a time limit.

A chunk's `repr` can sleep for ever, a `to_pandas()` can take seconds: `prepare_off_loop`
runs `render.prepare` (beside this module) on a daemon thread so the event loop never
waits on them, and gives up after `PREPARE_LIMIT` seconds. An object it gave up on, or
whose own code raised, is replaced by an `Unshowable` stand-in, in the response and in
the history too: anything later that looked at it would hang or fail the same way.
"""

from __future__ import annotations

import asyncio

from tui.stream import call_in_thread
from tui.stream.bounds import Unshowable
from tui.stream.foreign import BackendExit
from tui.text import describe
from tui.widgets.transcript.render import Prepared, prepare

__all__ = ["PREPARE_LIMIT", "prepare_off_loop"]

PREPARE_LIMIT = 2.0
"""Seconds an object's own code may take to be shown before a stand-in is shown instead."""


async def prepare_off_loop(obj: object, limit: float = PREPARE_LIMIT) -> tuple[Prepared, object]:
    """`prepare(obj)` on a thread; return it and what the response should keep: `obj`
    itself, or an `Unshowable` stand-in when preparing it hung or raised."""
    try:
        return await asyncio.wait_for(call_in_thread(lambda: prepare(obj)), limit), obj
    except TimeoutError:
        reason = f"showing it took longer than {limit:g} s (its repr or str may hang)"
    except Exception as error:  # its own code raised; a BackendExit included
        lines = describe(error).strip().splitlines() or [""]
        what = lines[0] if isinstance(error, BackendExit) else f"{type(error).__name__}: {lines[0]}"
        reason = f"showing it failed: {what.rstrip(': ')}"
    stand_in = Unshowable(_type_name(obj), reason)
    return prepare(stand_in), stand_in


def _type_name(obj: object) -> str:
    cls = type(obj)
    return getattr(cls, "__qualname__", None) or cls.__name__
