"""inkstream: stream anything into a terminal chat, the way `st.write_stream` does.

The names below are imported on first use, so that `import tui.stream` never pulls in
Textual.

Example:
    ```python
    from tui import ChatApp

    def backend(messages):
        yield "You said: " + messages[-1]["content"]

    ChatApp(backend=backend).run()
    ```
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.app import ChatApp
    from tui.stream import Response, collect, collect_async
    from tui.widgets.transcript.stream_view import StreamView

__all__ = ["ChatApp", "Response", "StreamView", "collect", "collect_async"]

_HOMES = {
    "ChatApp": "tui.app",
    "Response": "tui.stream",
    "StreamView": "tui.widgets.transcript.stream_view",
    "collect": "tui.stream",
    "collect_async": "tui.stream",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'tui' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
