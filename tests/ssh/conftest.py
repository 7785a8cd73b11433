"""One SSH server for the tests of this folder that need no server of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ssh.server_process import SSHServer, UserKeys, make_keys


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> UserKeys:
    """Client keys and the `authorized_keys` file naming alice, bob and carol."""
    return make_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, keys: UserKeys) -> Iterator[SSHServer]:
    """A server with no cap and no idle timeout, shared by the tests that don't stop it."""
    running = SSHServer.start(tmp_path_factory.mktemp("server"), keys)
    yield running
    running.stop()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder for a server of a test's own."""
    return tmp_path
