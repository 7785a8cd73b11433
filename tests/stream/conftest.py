"""Fixtures for the stream engine tests: a loopback server that speaks OpenAI's SSE."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .sse_server import SSEServer, serve


@pytest.fixture
def sse() -> Iterator[SSEServer]:
    """A Chat Completions SSE server on 127.0.0.1, on an ephemeral port."""
    yield from serve()
