"""The transcript machinery: Markdown painted through the Line API, and its stream.

`MarkdownLines` shows a Markdown text, finished or streaming, as cached lines;
`LineStream` writes fragments into one at most once a frame.
"""

from tui.widgets.transcript.line_stream import LineStream
from tui.widgets.transcript.markdown_lines import MarkdownLines

__all__ = ["LineStream", "MarkdownLines"]
