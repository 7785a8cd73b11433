"""Fixtures for the backend tests: the loopback SSE server, and no OpenAI settings from outside."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stream.sse_server import SSEServer, serve


@pytest.fixture
def sse() -> Iterator[SSEServer]:
    """A Chat Completions SSE server on 127.0.0.1, on an ephemeral port."""
    yield from serve()


@pytest.fixture(autouse=True)
def no_openai_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own `OPENAI_*` variables must never reach a test."""
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
