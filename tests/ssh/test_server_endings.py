"""Every way the server ends restores each client's terminal first (issue 15, item 3).

A real OpenSSH `ssh` in a real pty is logged in, the app on its screen (the alternate
screen, the cursor hidden, the mouse reported), and then the server is ended: by SIGTERM,
by SIGHUP, and by Ctrl+C while its log goes through `2>&1 | tee log` (SIGINT to the
whole pipeline, which kills `tee`, so the server's stderr is a broken pipe). Each time
the last bytes the client's terminal received must switch all of that off again, and
the channel is closed with one line that says why; nothing may say the connection was
cut.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.ssh.openssh_client import OpenSSH, terminal_left_clean
from tests.ssh.server_process import ROOT, UserKeys
from tui.ssh.run import LISTENING

pytestmark = pytest.mark.skipif(
    shutil.which("ssh") is None or shutil.which("tee") is None, reason="needs ssh and tee"
)
REASON = b"inkstream: session closed: the server is shutting down"


class TeedServer:
    """`inkstream serve ssh 2>&1 | tee LOG` run by `sh` in a session of its own, so the
    pipeline is one process group, as in a terminal: Ctrl+C there is SIGINT to the group."""

    def __init__(self, folder: Path, keys: UserKeys) -> None:
        self.log = folder / "log"
        command = [
            sys.executable, "-m", "tui", "--backend", "demo", "--typewriter", "100",
            "serve", "ssh", "--port", "0",
            "--authorized-keys", str(keys.authorized_keys),
            "--host-key", str(folder / "host_key"), "--data-dir", str(folder / "data"),
        ]  # fmt: skip
        pipeline = f"{shlex.join(command)} 2>&1 | tee {shlex.quote(str(self.log))}"
        self.shell = subprocess.Popen(
            ["sh", "-c", pipeline],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self.port = self._port()
            (self.server,) = [
                child
                for child in psutil.Process(self.shell.pid).children()
                if "serve" in child.cmdline()
            ]
        except BaseException:
            self.stop()
            raise

    def _port(self) -> int:
        deadline = time.monotonic() + 60
        text = ""
        while time.monotonic() < deadline:
            text = self.log.read_text() if self.log.exists() else ""
            found = re.search(LISTENING + r" [0-9.]+:(\d+)", text)
            if found:
                return int(found.group(1))
            if self.shell.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"the server did not start: {text}")

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.shell.pid, signal.SIGKILL)
        self.shell.wait(10)


@pytest.fixture
def teed(folder: Path, keys: UserKeys) -> Iterator[TeedServer]:
    running = TeedServer(folder, keys)
    yield running
    running.stop()


ENDINGS = {
    "SIGTERM": lambda teed: teed.server.send_signal(signal.SIGTERM),
    "SIGHUP": lambda teed: teed.server.send_signal(signal.SIGHUP),
    "Ctrl+C into tee": lambda teed: os.killpg(teed.shell.pid, signal.SIGINT),
}


@pytest.mark.parametrize("ending", ENDINGS)
def test_each_ending_restores_the_client_terminal_then_says_why(
    teed: TeedServer, keys: UserKeys, folder: Path, ending: str
) -> None:
    client = OpenSSH(teed.port, keys.alice, folder)
    try:
        client.wait_for(rb"Message inkstream")
        client.type("tell me a long story\r")
        client.wait_for(rb"You said")  # an answer is streaming when the server ends
        assert terminal_left_clean(bytes(client.output)), "the app has set the modes"
        ENDINGS[ending](teed)
        code = client.wait(timeout=30)
    finally:
        client.close()
    output = bytes(client.output)
    assert terminal_left_clean(output) == [], output[-600:]
    assert REASON in output, output[-600:]
    assert output.rfind(REASON) > output.rfind(b"\x1b[?1049l"), "the reason is on the screen"
    assert b"closed by remote host" not in output
    assert code == 1, output[-600:]
    teed.server.wait(30)  # the server itself ends too, with nothing left behind
