"""Quitting never waits for a generator stuck in a blocking call."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quit_while_a_sync_generator_sleeps_exits_within_a_second() -> None:
    """The child quits mid-stream while its backend sleeps for 60 s; it must exit in < 1 s."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.app.quit_while_blocked"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        quit_at = time.monotonic()
        assert line.strip() == "QUIT", child.stderr.read() if child.stderr else line
        child.wait(timeout=30)
        elapsed = time.monotonic() - quit_at
    finally:
        child.kill()
        child.wait()
    assert child.returncode == 0
    assert elapsed < 1.0, f"exit took {elapsed:.2f} s after quitting"
