"""Shared test setup: screen snapshots live in the top-level `snapshots/` folder; every test
has its own data directory and none of the developer's OpenAI settings; `sse` is a loopback
server that speaks OpenAI's SSE."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_textual_snapshot

from tests.stream.sse_server import SSEServer, serve

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"


class TopLevelSVGExtension(pytest_textual_snapshot.SVGImageExtension):
    """Store each test module's SVGs in `snapshots/<module name>/`."""

    @classmethod
    def dirname(cls, *, test_location: object) -> str:
        return str(SNAPSHOTS / Path(test_location.filepath).stem)  # type: ignore[attr-defined]


# `snap_compare` looks the extension up by this name each time it runs.
pytest_textual_snapshot.SVGImageExtension = TopLevelSVGExtension


@pytest.fixture(autouse=True, scope="session")
def private_data_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep every test's history and state out of the user's real directories."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
        patch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
        yield


@pytest.fixture
def sse() -> Iterator[SSEServer]:
    """A Chat Completions SSE server on 127.0.0.1, on an ephemeral port."""
    yield from serve()


@pytest.fixture(autouse=True)
def no_openai_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own `OPENAI_*` variables must never reach a test."""
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
