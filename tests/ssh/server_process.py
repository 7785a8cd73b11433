"""`inkstream serve ssh` started as a real subprocess on a free port of 127.0.0.1.

Used by the tests and by `benchmarks/ssh_load.py`.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh
import psutil

from tui.ssh.ptyproc import ZYGOTE_MODULE
from tui.ssh.run import LISTENING

__all__ = ["SSHServer", "UserKeys", "make_keys"]

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class UserKeys:
    """Client keys: alice and bob are authorized, eve is not; carol's key names no user."""

    alice: asyncssh.SSHKey
    bob: asyncssh.SSHKey
    carol: asyncssh.SSHKey
    eve: asyncssh.SSHKey
    authorized_keys: Path


def make_keys(folder: Path) -> UserKeys:
    """Make four client keys and an `authorized_keys` file for three of them in `folder`."""
    alice, bob, carol, eve = (asyncssh.generate_private_key("ssh-ed25519") for _ in range(4))

    def public(key: asyncssh.SSHKey) -> str:
        return key.export_public_key().decode().strip()

    path = folder / "authorized_keys"
    path.write_text(
        "# inkstream test keys\n"
        f"user=alice {public(alice)} alice@laptop\n"
        f"{public(bob)} user=bob\n"
        f"{public(carol)}\n"
    )
    return UserKeys(alice, bob, carol, eve, path)


@dataclass
class SSHServer:
    """A running `inkstream serve ssh`, its port, and its log as it comes."""

    process: subprocess.Popen[str]
    port: int
    data_dir: Path
    log: list[str] = field(default_factory=list)
    raw_log: bytearray = field(default_factory=bytearray)
    """Every byte of the log, when it is written to a pty (`log_pty`)."""

    @classmethod
    def start(
        cls,
        folder: Path,
        keys: UserKeys,
        *flags: str,
        timeout: float = 60,
        log_pty: bool = False,
    ) -> SSHServer:
        """Start the server with the demo backend, typewriter off, and `flags` after `ssh`.

        With `log_pty`, its stderr is a pty, as an administrator's terminal would be.
        """
        data_dir = folder / "data"
        command = [
            sys.executable, "-m", "tui", "--backend", "demo", "--typewriter", "0",
            "serve", "ssh", "--port", "0",
            "--authorized-keys", str(keys.authorized_keys),
            "--host-key", str(folder / "host_key"),
            "--data-dir", str(data_dir), *flags,
        ]  # fmt: skip
        log: list[str] = []
        raw = bytearray()
        if log_pty:
            master, slave = os.openpty()
            process = subprocess.Popen(command, cwd=ROOT, stderr=slave, text=True)
            os.close(slave)
            threading.Thread(target=_collect_pty, args=(master, log, raw), daemon=True).start()
        else:
            process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
            threading.Thread(target=_collect, args=(process, log), daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in log:
                if LISTENING in line:
                    port = int(line.split(LISTENING)[1].split(",")[0].rsplit(":", 1)[1])
                    return cls(process, port, data_dir, log, raw)
            if process.poll() is not None:
                break
            time.sleep(0.02)
        process.kill()
        raise RuntimeError("the server did not start:\n" + "".join(log))

    async def wait_log(self, *texts: str, timeout: float = 30) -> str:
        """Wait for a log line holding every one of `texts`; return it."""
        for _ in range(int(timeout / 0.02)):
            for line in list(self.log):
                if all(text in line for text in texts):
                    return line
            await asyncio.sleep(0.02)
        raise AssertionError(f"no log line with {texts}:\n" + "".join(self.log))

    def apps(self) -> list[psutil.Process]:
        """The server's running session apps: the app launcher's children."""
        children = psutil.Process(self.process.pid).children()
        launchers = [child for child in children if _is_launcher(child)]
        return [app for launcher in launchers for app in _children(launcher)]

    def open_ptys(self) -> int:
        """How many PTY masters and pidfds the server holds open: one of each per app."""
        return sum(1 for path in Path(f"/proc/{self.process.pid}/fd").iterdir() if _is_app_fd(path))

    def stop(self) -> None:
        """Stop the server, killing it if it does not stop in 10 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _is_launcher(process: psutil.Process) -> bool:
    try:
        return ZYGOTE_MODULE in process.cmdline()
    except psutil.Error:
        return False


def _children(process: psutil.Process) -> list[psutil.Process]:
    try:
        return process.children()
    except psutil.Error:
        return []


def _is_app_fd(path: Path) -> bool:
    try:
        target = str(path.readlink())
    except OSError:
        return False
    return target.endswith("/ptmx") or "pidfd" in target


def _collect_pty(master: int, log: list[str], raw: bytearray) -> None:
    rest = b""
    try:
        while chunk := os.read(master, 65536):
            raw += chunk
            *lines, rest = (rest + chunk).split(b"\n")
            log.extend(line.decode("utf-8", "surrogateescape") + "\n" for line in lines)
    except OSError:  # EIO: the server has exited
        pass
    finally:
        os.close(master)


def _collect(process: subprocess.Popen[str], log: list[str]) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        log.append(line)
