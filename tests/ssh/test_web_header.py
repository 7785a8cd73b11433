"""`serve web --login header`: a reverse proxy names the user in a header; it is believed
only from the proxy's address, and the user gets their own history."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.ssh.web_process import PROMPT_BOX, Tab, WebServer
from tui.ssh.user_dirs import user_history_path


@pytest.fixture
async def behind_proxy(tmp_path: Path) -> AsyncIterator[WebServer]:
    server = await WebServer.start(tmp_path, "--login", "header", "--data-dir", str(tmp_path))
    yield server
    server.stop()


async def test_no_header_is_401(behind_proxy: WebServer) -> None:
    async with aiohttp.ClientSession() as client, client.get(behind_proxy.url("/")) as page:
        assert page.status == 401


async def test_the_named_user_gets_their_own_history(
    behind_proxy: WebServer, tmp_path: Path
) -> None:
    headers = {"X-Forwarded-User": "carol"}
    async with aiohttp.ClientSession(headers=headers) as client:
        async with client.get(behind_proxy.url("/")) as page:
            assert page.status == 200
        async with client.ws_connect(behind_proxy.url("/ws?width=100&height=30", "ws")) as ws:
            tab = Tab(ws, (100, 30))
            await tab.wait_for(PROMPT_BOX)
            await tab.type("hello from carol\r")
            await tab.wait_until(lambda text: text.count("hello from carol") >= 2, "the echo")
    assert user_history_path(tmp_path, "carol").exists()


async def test_an_unsafe_name_is_refused(behind_proxy: WebServer) -> None:
    for name in ("../alice", "key-SHA256-x"):
        headers = {"X-Forwarded-User": name}
        async with (
            aiohttp.ClientSession(headers=headers) as client,
            client.get(behind_proxy.url("/")) as page,
        ):
            assert page.status == 403, name


async def test_the_header_is_not_believed_from_another_address(tmp_path: Path) -> None:
    server = await WebServer.start(
        tmp_path, "--login", "header", "--trusted-proxy", "192.0.2.1", "--data-dir", str(tmp_path)
    )
    try:
        headers = {"X-Forwarded-User": "carol"}
        async with aiohttp.ClientSession(headers=headers) as client:
            async with client.get(server.url("/")) as page:
                assert page.status == 403
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await client.ws_connect(server.url("/ws", "ws"))
        assert server.apps() == []
    finally:
        server.stop()


async def test_basic_credentials_name_the_user_with_user_header_authorization(
    tmp_path: Path,
) -> None:
    server = await WebServer.start(
        tmp_path, "--login", "header", "--user-header", "Authorization", "--data-dir",
        str(tmp_path),
    )  # fmt: skip
    try:
        basic = base64.b64encode(b"dave:whatever-the-proxy-checked").decode()
        async with aiohttp.ClientSession() as client:
            async with client.get(
                server.url("/"), headers={"Authorization": f"Basic {basic}"}
            ) as ok:
                assert ok.status == 200
            async with client.get(server.url("/")) as missing:
                assert missing.status == 401
    finally:
        server.stop()
