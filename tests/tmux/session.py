"""The real `inkstream` command in a real tmux, on a private server socket per test.

Keys go in through `tmux send-keys` as a user's terminal would send them (tmux turns
`M-Enter` into ESC then Enter, as xterm and ssh do), and what the user sees comes back
through `capture-pane`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30.0
"""Seconds to wait for something on screen: generous, as the machine may be busy."""

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


def inkstream() -> list[str]:
    """The installed `inkstream` script of this venv."""
    import sys

    script = Path(sys.executable).with_name("inkstream")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


class Tmux:
    """One `inkstream` in a detached tmux session of `width` x `height`.

    Args:
        arguments: Passed to `inkstream`.
        env: Extra environment for it (TERM is always xterm-256color).
        cwd: Its working folder; the checkout when `None` (test backends import from it).
    """

    def __init__(
        self,
        *arguments: str,
        width: int = 100,
        height: int = 40,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.socket = f"inkstream-test-{uuid.uuid4().hex[:12]}"
        environment = {"TERM": "xterm-256color", "COLORTERM": "truecolor", **(env or {})}
        settings = " ".join(f"{key}={shlex.quote(value)}" for key, value in environment.items())
        environment.setdefault("PYTHONPATH", str(ROOT))
        settings = " ".join(f"{key}={shlex.quote(value)}" for key, value in environment.items())
        command = f"cd {shlex.quote(str(cwd or ROOT))} && env {settings} " + shlex.join(
            [*inkstream(), *arguments]
        )
        self._tmux(
            "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(width), "-y",
            str(height), command,
        )  # fmt: skip
        self._tmux("set-option", "-g", "remain-on-exit", "on")
        self._tmux("set-option", "-g", "escape-time", "10")

    def _tmux(self, *arguments: str) -> str:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
        done = subprocess.run(
            ["tmux", "-L", self.socket, *arguments],
            capture_output=True,
            text=True,
            env=clean,
            check=False,
        )
        if done.returncode != 0 and "no server running" not in done.stderr:
            raise AssertionError(f"tmux {arguments[0]} failed: {done.stderr}")
        return done.stdout

    def keys(self, *names: str, pause: float = 0.15) -> None:
        """Press keys by tmux name (`Enter`, `C-n`, `M-Enter`, `PPage`), one at a time."""
        for name in names:
            self._tmux("send-keys", "-t", "t", name)
            time.sleep(pause)

    def type(self, text: str) -> None:
        """Type `text` literally."""
        self._tmux("send-keys", "-t", "t", "-l", text)
        time.sleep(0.15)

    def screen(self) -> str:
        """What the terminal shows now."""
        return self._tmux("capture-pane", "-p", "-t", "t")

    def colours(self) -> str:
        """The screen with its colours, as SGR escape sequences."""
        return self._tmux("capture-pane", "-p", "-e", "-t", "t")

    def wait_until(self, check: Callable[[str], bool], what: str, timeout: float = WAIT) -> str:
        """Wait until `check(screen)` holds and return that screen; else fail showing it."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {what}; the screen:\n{screen}")
            time.sleep(0.1)

    def wait_for(self, text: str, timeout: float = WAIT) -> str:
        """Wait until `text` is on screen."""
        return self.wait_until(lambda screen: text in screen, repr(text), timeout)

    def close(self) -> None:
        """Kill the tmux server and the app in it."""
        self._tmux("kill-server")

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
