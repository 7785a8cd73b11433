"""`inkstream serve web` serves the chat to a browser on 127.0.0.1: the page loads, and its
websocket runs the app, which answers a prompt."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import Iterator

import aiohttp
import pyte
import pytest

from tests.ssh.server_process import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def web() -> Iterator[int]:
    port = free_port()
    command = [sys.executable, "-m", "tui", "--backend", "echo", "--typewriter", "0",
               "--no-history", "serve", "web", "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    yield port
    process.terminate()
    process.wait(10)


async def test_the_browser_page_and_its_app_are_served_on_localhost(web: int) -> None:
    screen = pyte.Screen(100, 30)
    stream = pyte.ByteStream(screen)
    async with aiohttp.ClientSession() as client:
        for _ in range(300):  # the server takes a moment to start listening
            try:
                async with client.get(f"http://127.0.0.1:{web}/") as page:
                    html = await page.text()
                break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
        assert f"ws://127.0.0.1:{web}/ws" in html
        url = f"ws://127.0.0.1:{web}/ws?width=100&height=30"
        async with client.ws_connect(url) as socket_:
            typed = False
            async with asyncio.timeout(60):
                async for message in socket_:
                    if message.type == aiohttp.WSMsgType.BINARY:
                        stream.feed(message.data)
                    text = "\n".join(screen.display)
                    if not typed and "Message inkstream" in text:
                        await socket_.send_json(["stdin", "ping over the web\r"])
                        typed = True
                    if text.count("ping over the web") >= 2:  # the prompt, and its echo
                        break
    assert "backend: echo" in "\n".join(screen.display)
