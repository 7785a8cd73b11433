"""Backends and an app factory for the app tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

from tui.app import ChatApp
from tui.backends import Backend


def make_app(backend: Backend, **options: Any) -> ChatApp:
    """A ChatApp with instant text and no animation, so that what a test sees is settled."""
    options.setdefault("typewriter", 0)
    app = ChatApp(backend=backend, **options)
    app.animation_level = "none"
    return app


class Gate:
    """A backend that streams one chunk, then waits until released (or forever)."""

    def __init__(self, first: str = "partial answer ") -> None:
        self.first = first
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.closed = False

    async def __call__(self, messages: list[dict[str, Any]]) -> AsyncIterator[str]:
        try:
            yield self.first
            self.started.set()
            await self.release.wait()
            yield "the rest"
        finally:
            self.closed = True


class Recorder:
    """A sync generator backend that records what it was given and where it ran."""

    def __init__(self, *chunks: object) -> None:
        self.chunks = chunks or ("recorded",)
        self.calls: list[list[dict[str, Any]]] = []
        self.threads: list[threading.Thread] = []

    def __call__(self, messages: list[dict[str, Any]]) -> Iterator[object]:
        self.calls.append([dict(m) for m in messages])
        self.threads.append(threading.current_thread())
        for chunk in self.chunks:
            self.threads.append(threading.current_thread())
            yield chunk


def failing(messages: list[dict[str, Any]]) -> Iterator[str]:
    """Streams some text, then raises."""
    yield "so far, "
    yield "so good"
    raise ValueError("the model fell over\nsecond line of detail")
