"""`StreamView`: the body of one message, written by a stream as it arrives."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Collapsible, Static

from tui.stream import Part, PartKind, Response, adapt, aiterate, open_source
from tui.text import printable, printable_markdown
from tui.widgets.transcript.object_preparing import prepare_off_loop
from tui.widgets.transcript.render import Prepared, build, render
from tui.widgets.transcript.stream_display import FRAME, Display

__all__ = ["StreamView"]


class StreamView(Vertical):
    """The body of one message: write a stream or single objects into it.

    Text is typed into Markdown at typewriter pace; DataFrames, dicts, exceptions and
    other objects are written by `render.render` (beside this module), the `st.write`
    table. Reasoning and tool calls show folded underneath. It works in any Textual app.

    Example:
        ```python
        from textual.app import App
        from tui import StreamView

        def tokens():
            yield "# Hello\\n\\nfrom a **generator**"
            yield {"and": "a dict"}

        class Demo(App):
            def compose(self):
                yield StreamView(typewriter=200)

            def on_mount(self) -> None:
                view = self.query_one(StreamView)
                self.run_worker(view.write_stream(tokens, cursor="▌"))
        ```

    Args:
        typewriter: Characters per second at which text is typed; 0 shows it at once.
        max_lag: The most seconds text may wait behind the stream before it is shown.
    """

    def __init__(
        self,
        *children: Widget,
        typewriter: float = 400.0,
        max_lag: float = 1.0,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(*children, name=name, id=id, classes=classes)
        self.typewriter = typewriter
        self.max_lag = max_lag
        self.response = Response()
        """What the last `write_stream` has received so far, kept after an error or a stop."""
        self.chars_revealed = 0
        """Characters of text typed so far, for a live rate display."""
        self.first_content_at: float | None = None
        """The loop time at which the first visible part arrived, or `None`."""
        self._streaming = False
        self._reasoning: Static | None = None
        self._tool_calls: Static | None = None

    async def write_stream(
        self, stream: object, cursor: str | None = None, *, response: Response | None = None
    ) -> str | list[Any]:
        """Write a stream as it arrives and return its full response.

        Args:
            stream: Anything `tui.stream.open_source` accepts: generators, iterables,
                async iterables, OpenAI, Anthropic and LangChain streams.
            cursor: Shown after the text while text is streaming.
            response: Where the parts are recorded (also exposed as `self.response`).

        Returns:
            A `str` when the stream held only text, otherwise a list, as `st.write_stream`.

        Raises:
            TypeError: The stream cannot be iterated, or is a str or a DataFrame.
            RuntimeError: A stream is already being written into this view.
            Exception: Whatever the stream raised, unchanged, once the text that arrived
                before it is shown.
        """
        if self._streaming:
            raise RuntimeError("This StreamView is already writing a stream.")
        iterator = open_source(stream)
        self.response = response = Response() if response is None else response
        self._streaming = True
        arrivals: deque[Part] = deque()
        wake = asyncio.Event()

        display = Display(self, cursor)

        async def read() -> None:
            async for chunk in aiterate(iterator):
                for part in adapt(chunk):
                    arrivals.append(await self._take(part, response))
                    wake.set()
                while display.behind(arrivals):  # the rest waits in the source
                    await asyncio.sleep(FRAME)

        reader = asyncio.create_task(read(), name="inkstream-reader")
        reader.add_done_callback(lambda _: wake.set())
        try:
            await display.run(arrivals, wake, reader)
            await reader
        finally:
            if not reader.done():
                reader.cancel()
                # A source that swallows the cancellation is left behind, not waited for.
                await asyncio.wait({reader}, timeout=1.0)
            await display.flush(arrivals)
            self._streaming = False
        return response.value

    async def _take(self, part: Part, response: Response) -> Part:
        """Record one part of the stream and return what the display is to show. The
        stream's own code runs off the event loop: a callable chunk is called on a thread,
        and an object is prepared for the screen on one (`render.prepare`)."""
        if part.kind is PartKind.OBJECT:
            prepared, kept = await prepare_off_loop(part.value)
            response.add(Part(PartKind.OBJECT, kept))
            return Part(PartKind.OBJECT, prepared)
        await response.add_async(part)
        return part

    def write(self, obj: object) -> asyncio.Task[None]:
        """Write one object the way `st.write` would; await the result to wait for it to
        show. Its own code (`repr`, `str`, `to_pandas`) runs on a thread, with a time limit.
        """
        self._note_content()
        return asyncio.ensure_future(self._write(obj))

    async def _write(self, obj: object) -> None:
        if not isinstance(obj, Prepared):
            obj, _ = await prepare_off_loop(obj)
        await self.mount(build(obj), before=self._first_fold())

    def _first_fold(self) -> Collapsible | None:
        folds = [fold for fold in self.children if isinstance(fold, Collapsible)]
        return folds[0] if folds else None

    def _note_content(self) -> None:
        if self.first_content_at is None:
            self.first_content_at = asyncio.get_running_loop().time()

    @classmethod
    def finished(
        cls,
        value: str | list[Any],
        *,
        reasoning: str = "",
        tool_calls: Sequence[Any] = (),
        typewriter: float = 400.0,
    ) -> StreamView:
        """A view of a finished response, as `write_stream` returned it, with every widget
        composed up front: one layout pass, however many parts (for the history).

        Example:
            >>> view = StreamView.finished(["Some text", {"a": 1}], reasoning="Because.")
            >>> len(view._pending_children)
            3
        """
        items = [value] if isinstance(value, str) else value
        view = cls(
            *(render(item) for item in items if not (isinstance(item, str) and not item)),
            typewriter=typewriter,
        )
        folds = [view._reasoning_fold(reasoning)] if reasoning else []
        if tool_calls:
            folds.append(view._tool_calls_fold(list(tool_calls)))
        view._pending_children.extend(folds)
        return view

    def _reasoning_fold(self, text: str) -> Collapsible:
        self._reasoning = Static(Text(printable_markdown(text)), classes="reasoning")
        return Collapsible(self._reasoning, title="Reasoning", collapsed=True)

    def _tool_calls_fold(self, calls: list[Any]) -> Collapsible:
        lines = Text("\n".join(printable(repr(call)) for call in calls))
        self._tool_calls = Static(lines, classes="tool-calls")
        return Collapsible(self._tool_calls, title="Tool calls", collapsed=True)

    async def show_reasoning(self, text: str) -> None:
        """Show `text` as the answer's reasoning, folded under it and collapsed."""
        self._note_content()
        if self._reasoning is None:
            await self.mount(self._reasoning_fold(text))
        else:
            self._reasoning.update(Text(printable_markdown(text)))

    async def show_tool_calls(self, calls: list[Any]) -> None:
        """Show the answer's tool calls, one per line, folded under it and collapsed."""
        self._note_content()
        if self._tool_calls is None:
            await self.mount(self._tool_calls_fold(calls))
        else:
            self._tool_calls.update(Text("\n".join(printable(repr(call)) for call in calls)))

    async def _show_side_part(self, part: Part) -> None:
        if part.kind is PartKind.REASONING:
            await self.show_reasoning(self.response.reasoning)
        elif part.kind is PartKind.TOOL_CALL:
            await self.show_tool_calls(self.response.tool_calls)
