"""`LineStream`: fragments written into a `MarkdownLines`, appended at most once a frame.

Like Textual's `MarkdownStream`: fragments queue up, one task coalesces them into one
append, `stop()` shows what is still queued, and a write after `stop()` raises. After
each append the task rests at least as long as the append took (seen as how late its
last rest ended, which includes the layout and paint), so the display takes at most
about half the time; but never more than `MAX_REST`, so the text still moves.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

__all__ = ["FRAME", "MAX_REST", "LineStream"]

FRAME = 1 / 60
"""The least seconds between two appends: one frame."""
MAX_REST = 0.1
"""The most seconds the stream rests between appends."""


class Appendable(Protocol):
    """What a `LineStream` writes into: `MarkdownLines`."""

    def append(self, text: str, preview: str = "") -> None: ...

    def finish(self) -> None: ...


class LineStream:
    """Write fragments into `target`, appended at most once a frame.

    Example:
        ```python
        stream = LineStream(lines)
        stream.start()
        await stream.write("Some ")
        await stream.write("text")
        await stream.stop()
        ```
    """

    def __init__(self, target: Appendable) -> None:
        self.target = target
        self._pending: list[str] = []
        self._preview = ""
        self._shown_preview = ""
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.queued = 0
        """Characters written and not yet appended."""
        self._stopped = False

    def start(self) -> None:
        """Start the task that appends."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="inkstream-line-stream")

    async def write(self, fragment: str, preview: str = "") -> None:
        """Queue `fragment` for the end of the text, and `preview` to show after it.

        Raises:
            RuntimeError: The stream has stopped.
        """
        if self._stopped:
            raise RuntimeError("Can't write to the stream after it has stopped.")
        if fragment or preview != self._preview:
            self._pending.append(fragment)
            self.queued += len(fragment)
            self._preview = preview
            self._wake.set()
            await asyncio.sleep(0)

    def _flush(self) -> None:
        text = "".join(self._pending)
        self._pending.clear()
        self._wake.clear()
        self.queued = 0
        if text or self._preview != self._shown_preview:
            self._shown_preview = self._preview
            self.target.append(text, self._preview)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        lag = 0.0
        while True:
            await self._wake.wait()
            began = loop.time()
            self._flush()
            spent = loop.time() - began
            rest = max(FRAME - spent, min(MAX_REST, spent + lag))
            await asyncio.sleep(rest)
            lag = loop.time() - began - spent - rest

    async def stop(self) -> None:
        """Append what is still queued, and end the text."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait([self._task])
            self._task = None
        if not self._stopped:
            self._stopped = True
            self._preview = ""
            self._flush()
            self.target.finish()
