"""The transcript machinery: one message's body and everything that paints it.

`StreamView` (`stream_view`) is the body of one message; `stream_display` types its text
runs; `MarkdownLines` shows a Markdown text, finished or streaming, as cached lines;
`LineStream` writes fragments into one at most once a frame; `render` is the `st.write`
table that builds the widget for any other object (`FrameTable` for frames).

Only `LineStream` and `MarkdownLines` are imported here, so that importing a submodule
stays cheap; the modules of this package import each other by their full path.
"""

from tui.widgets.transcript.line_stream import LineStream
from tui.widgets.transcript.markdown_lines import MarkdownLines

__all__ = ["LineStream", "MarkdownLines"]
