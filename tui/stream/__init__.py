"""The stream engine: `write_stream` semantics with no UI, no Textual and no pandas.

The path a response travels: `open_source` turns the input into an iterator, `adapt`
turns each chunk into a `Part`, `Response` builds the return value, and `Typewriter`
paces the reveal of text. `collect` and `collect_async` run the whole path headless.

Example:
    >>> from tui.stream import collect
    >>> collect(iter(["Hello", " ", "world"]))
    'Hello world'
"""

from tui.stream.chunks import Part, PartKind, adapt
from tui.stream.headless import collect, collect_async
from tui.stream.pacing import Typewriter
from tui.stream.response import Response
from tui.stream.source import (
    NotAStreamError,
    aiterate,
    call_in_thread,
    close_source,
    open_source,
)

__all__ = [
    "NotAStreamError",
    "Part",
    "PartKind",
    "Response",
    "Typewriter",
    "adapt",
    "aiterate",
    "call_in_thread",
    "close_source",
    "collect",
    "collect_async",
    "open_source",
]
