"""`serve web --login token` over a real HTTP client and textual-serve's websocket: without a
token, or with a wrong one, the page and the websocket are 401 and no app starts; with
alice's token, her app opens her own history and nothing of bob's; no token reaches a log."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.ssh.web_process import PROMPT_BOX, Tab, WebServer, add_user, users
from tui.history.store import HistoryStore
from tui.ssh.user_dirs import user_history_path

CTRL_O = "\x0f"
TOPICS = {"alice": "zebracorn migration plan", "bob": "quokka salary review"}


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[WebServer, dict[str, str]]]:
    """A server with two web users, each with one stored session, and their tokens."""
    data = tmp_path / "data"
    tokens = {name: add_user(data, name) for name in TOPICS}
    for name, topic in TOPICS.items():
        path = user_history_path(data, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with HistoryStore(path) as store:
            session = store.create_session(title=topic, backend="echo")
            store.add_message(session, "user", topic)
            store.add_message(session, "assistant", topic)
    server = await WebServer.start(tmp_path, "--login", "token", "--data-dir", str(data))
    yield server, tokens
    server.stop()
    for token in tokens.values():  # tokens never reach a log
        assert token not in server.output()
        for log in data.rglob("*"):
            if log.is_file() and log.suffix != ".json":
                assert token.encode() not in log.read_bytes(), log


async def refused(client: aiohttp.ClientSession, server: WebServer, **request: object) -> None:
    """The page and the websocket are both 401 for this request, and no app is started."""
    async with client.get(server.url("/"), allow_redirects=False, **request) as page:  # type: ignore[arg-type]
        assert page.status == 401, await page.text()
        assert "users add" in await page.text()
    with pytest.raises(aiohttp.WSServerHandshakeError) as failed:
        await client.ws_connect(server.url("/ws?width=80&height=24", "ws"), **request)  # type: ignore[arg-type]
    assert failed.value.status == 401
    await asyncio.sleep(0.5)  # an app textual-serve started would be its child by now
    assert server.apps() == []


async def test_no_token_is_401_and_starts_no_app(served: tuple[WebServer, dict[str, str]]) -> None:
    server, _ = served
    async with aiohttp.ClientSession() as client:
        await refused(client, server)


async def test_a_wrong_token_is_401_and_starts_no_app(
    served: tuple[WebServer, dict[str, str]],
) -> None:
    server, tokens = served
    wrong = tokens["alice"][:-2] + ("AA" if not tokens["alice"].endswith("AA") else "BB")
    async with aiohttp.ClientSession() as client:
        await refused(client, server, params={"token": wrong})
        await refused(client, server, headers={"Authorization": f"Bearer {wrong}"})
    async with aiohttp.ClientSession(cookies={"inkstream_token": wrong}) as client:
        await refused(client, server)


async def test_the_right_token_opens_that_users_own_sessions_only(
    served: tuple[WebServer, dict[str, str]],
) -> None:
    server, tokens = served
    # unsafe: a cookie jar that keeps cookies from an IP address, as browsers do.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        # The link swaps the token for a cookie and sends the browser on to "/".
        async with client.get(server.url("/"), params={"token": tokens["alice"]}) as page:
            assert page.status == 200
            assert page.url.query_string == ""
            assert "/ws" in await page.text()
        async with client.ws_connect(server.url("/ws?width=100&height=30", "ws")) as socket_:
            tab = Tab(socket_, (100, 30))
            await tab.wait_for(PROMPT_BOX)
            assert len(server.apps()) >= 1
            await tab.type(CTRL_O)
            await tab.wait_for(TOPICS["alice"])
            assert TOPICS["bob"] not in tab.text


async def test_bob_in_another_tab_gets_his_own_history(
    served: tuple[WebServer, dict[str, str]],
) -> None:
    server, tokens = served
    headers = {"Authorization": f"Bearer {tokens['bob']}"}
    async with (
        aiohttp.ClientSession(headers=headers) as client,
        client.ws_connect(server.url("/ws?width=100&height=30", "ws")) as socket_,
    ):
        tab = Tab(socket_, (100, 30))
        await tab.wait_for(PROMPT_BOX)
        await tab.type(CTRL_O)
        await tab.wait_for(TOPICS["bob"])
        assert TOPICS["alice"] not in tab.text


async def test_a_removed_user_is_refused_and_their_open_tab_closed(
    served: tuple[WebServer, dict[str, str]], tmp_path: Path
) -> None:
    server, tokens = served
    headers = {"Authorization": f"Bearer {tokens['bob']}"}
    async with aiohttp.ClientSession(headers=headers) as client:
        async with client.ws_connect(server.url("/ws?width=100&height=30", "ws")) as socket_:
            tab = Tab(socket_, (100, 30))
            await tab.wait_for(PROMPT_BOX)
            users(tmp_path / "data", "remove", "bob")
            async with asyncio.timeout(30):
                async for _ in socket_:
                    pass
            assert socket_.closed
        await refused(client, server)


async def test_a_websocket_opened_by_another_sites_page_is_refused(
    served: tuple[WebServer, dict[str, str]],
) -> None:
    server, tokens = served
    headers = {"Authorization": f"Bearer {tokens['alice']}", "Origin": "http://evil.example"}
    async with aiohttp.ClientSession(headers=headers) as client:
        with pytest.raises(aiohttp.WSServerHandshakeError) as failed:
            await client.ws_connect(server.url("/ws?width=80&height=24", "ws"))
        assert failed.value.status == 403
    assert server.apps() == []
