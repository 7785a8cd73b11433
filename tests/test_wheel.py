"""The wheel, installed into a fresh venv, runs: the TUI in a pty, print mode, and
`serve ssh` with OpenSSH's `ssh` logging in (issue 18, bug 1).

`pip install -e` reads `styles/` from the checkout, so only an installed wheel shows
whether the TCSS ships inside the package. Every command here runs from a folder outside
the checkout, so that `tui` can only be the installed one. The venv is made once per
module; pip takes the dependencies from its cache or the configured index.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyte
import pytest

from tests.ssh.openssh_client import OpenSSH
from tests.ssh.server_process import make_keys
from tui.ssh.run import LISTENING

ROOT = Path(__file__).resolve().parent.parent
WELCOME = "Type a message and press Enter"


@dataclass
class Installed:
    """A venv holding only the wheel and its dependencies, and a folder to run it from."""

    venv: Path
    outside: Path

    def command(self, *arguments: str) -> list[str]:
        return [str(self.venv / "bin" / "inkstream"), *arguments]

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TEXTUAL")}
        return {**env, "TERM": "xterm-256color", "COLORTERM": "truecolor"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Build the wheel from this checkout and `pip install` it into a new venv."""
    folder = tmp_path_factory.mktemp("wheel")
    wheels = folder / "dist"
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels)]
    subprocess.run([*build, str(ROOT)], check=True, timeout=300)
    (wheel,) = wheels.glob("inkstream-*.whl")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)]
    subprocess.run(pip, check=True, timeout=900)
    outside = folder / "elsewhere"
    outside.mkdir()
    return Installed(venv, outside)


def test_the_package_imported_is_the_installed_one(installed: Installed) -> None:
    where = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c", "import tui; print(tui.__file__)"],
        cwd=installed.outside,
        env=installed.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed.venv), where
    assert not (installed.venv / "bin" / "textual").exists(), "textual-dev is not installed"


def test_print_mode_answers(installed: Installed) -> None:
    answer = subprocess.run(
        installed.command("--backend", "echo", "-p", "hello from a wheel"),
        cwd=installed.outside,
        env=installed.env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (answer.returncode, answer.stdout) == (0, "hello from a wheel\n"), answer.stderr


class Pty:
    """A command in a 100 x 30 pty, drawn on a pyte screen as a terminal would."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.screen = pyte.Screen(100, 30)
        self.stream = pyte.ByteStream(self.screen)
        self.output = bytearray()
        self.lock = threading.Lock()
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave,
            start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        with contextlib.suppress(OSError):
            while chunk := os.read(self.master, 65536):
                with self.lock:
                    self.output += chunk
                    self.stream.feed(chunk)

    def text(self) -> str:
        with self.lock:
            return "\n".join(self.screen.display)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"never saw {text!r}:\n{self.text()}\n{self.output[-3000:]!r}")
            time.sleep(0.05)

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        os.close(self.master)
        self._reader.join(timeout=5)


def test_the_tui_starts_and_answers(installed: Installed, tmp_path: Path) -> None:
    command = installed.command("--backend", "echo", "--db", str(tmp_path / "h.db"))
    terminal = Pty(command, installed.outside, installed.env)
    try:
        terminal.wait_for(WELCOME)
        terminal.type("hello from the wheel\r")
        terminal.wait_for("hello from the wheel", timeout=30)
        terminal.type("\x11")  # Ctrl+Q
        assert terminal.process.wait(timeout=30) == 0
    finally:
        terminal.close()


@pytest.fixture
def ssh_server(installed: Installed, tmp_path: Path) -> Iterator[tuple[int, object, Path]]:
    """`inkstream serve ssh` from the wheel, on a free port, with alice's key authorized."""
    keys = make_keys(tmp_path)
    command = installed.command(
        "--backend", "echo", "--typewriter", "0", "serve", "ssh", "--port", "0",
        "--authorized-keys", str(keys.authorized_keys), "--host-key", str(tmp_path / "host"),
        "--data-dir", str(tmp_path / "data"),
    )  # fmt: skip
    process = subprocess.Popen(
        command, cwd=installed.outside, env=installed.env, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if LISTENING in line:
                port = int(line.split(LISTENING)[1].split(",")[0].rsplit(":", 1)[1])
                break
        else:
            raise AssertionError("serve ssh never listened")
        threading.Thread(target=process.stderr.read, daemon=True).start()
        yield port, keys.alice, tmp_path
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.skipif(shutil.which("ssh") is None, reason="needs OpenSSH's ssh")
def test_serve_ssh_shows_the_first_screen_to_a_real_ssh_login(
    ssh_server: tuple[int, object, Path],
) -> None:
    port, key, folder = ssh_server
    client = OpenSSH(port, key, folder)  # type: ignore[arg-type]
    try:
        client.wait_for(rb"Message inkstream")
        client.wait_for(WELCOME.encode())
        client.type("\x11")  # Ctrl+Q ends the session and so the login
        assert client.wait(timeout=30) == 0
    finally:
        client.close()
