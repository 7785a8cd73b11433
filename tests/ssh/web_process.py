"""`inkstream serve web` started as a real subprocess, and a browser tab's websocket
driven with aiohttp and read with pyte."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import psutil
import pyte

from tests.ssh.server_process import ROOT

__all__ = ["Tab", "WebServer", "add_user", "free_port", "users"]

PROMPT_BOX = "Message inkstream"
"""The prompt's placeholder: the app has drawn its first screen."""


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def users(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `inkstream users --data-dir DATA_DIR ARGS...`."""
    command = [sys.executable, "-m", "tui", "users", "--data-dir", str(data_dir), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def add_user(data_dir: Path, name: str, *flags: str) -> str:
    """Run `inkstream users add NAME`; return the token of the link it prints."""
    done = users(data_dir, "add", name, *flags)
    assert done.returncode == 0, done
    link = done.stdout.strip()
    assert "/?token=" in link, done
    return link.rpartition("token=")[2]


@dataclass
class WebServer:
    """A running `inkstream serve web`, its port, and the files its output goes to."""

    process: subprocess.Popen[bytes]
    port: int
    stdout: Path
    stderr: Path

    @classmethod
    async def start(cls, folder: Path, *flags: str) -> WebServer:
        """Start it with the echo backend, typewriter off, `flags` after `serve web`, and
        wait until it answers HTTP."""
        port = free_port()
        command = [sys.executable, "-m", "tui", "--backend", "echo", "--typewriter", "0",
                   "serve", "web", "--port", str(port), *flags]  # fmt: skip
        out, err = folder / "server.stdout", folder / "server.stderr"
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            process = subprocess.Popen(command, cwd=ROOT, stdout=stdout, stderr=stderr)
        server = cls(process, port, out, err)
        async with aiohttp.ClientSession() as client:
            for _ in range(600):
                if process.poll() is not None:
                    raise AssertionError(f"serve web exited: {err.read_text()}")
                try:
                    async with client.get(server.url("/")):
                        return server
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
        raise AssertionError("serve web did not listen within 60 s")

    def url(self, path: str, scheme: str = "http") -> str:
        """`path` on this server."""
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def apps(self) -> list[psutil.Process]:
        """The app processes it runs now (each textual-serve shell and what it started)."""
        return psutil.Process(self.process.pid).children(recursive=True)

    def output(self) -> str:
        """Everything it has written to stdout and stderr so far."""
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")

    def stop(self) -> None:
        """Stop it and wait."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


class Tab:
    """A browser tab's websocket: what it shows, on a pyte screen."""

    def __init__(self, socket_: aiohttp.ClientWebSocketResponse, size: tuple[int, int]) -> None:
        self.socket = socket_
        self.screen = pyte.Screen(*size)
        self.stream = pyte.ByteStream(self.screen)

    @property
    def text(self) -> str:
        """The screen's text."""
        return "\n".join(self.screen.display)

    async def type(self, keys: str) -> None:
        """Send keys, as the page's terminal does."""
        await self.socket.send_json(["stdin", keys])

    async def wait_until(self, done: Callable[[str], bool], what: str, timeout: float = 60) -> None:
        """Read the app's output until `done(screen text)`; fail after `timeout` seconds."""
        if done(self.text):
            return
        try:
            async with asyncio.timeout(timeout):
                async for message in self.socket:
                    if message.type == aiohttp.WSMsgType.BINARY:
                        self.stream.feed(message.data)
                    if done(self.text):
                        return
        except TimeoutError:
            pass
        raise AssertionError(f"never saw {what}; the screen:\n{self.text}")

    async def wait_for(self, text: str) -> None:
        """Read until `text` is on the screen."""
        await self.wait_until(lambda screen: text in screen, repr(text))
