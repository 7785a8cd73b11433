"""Quitting never waits for a generator stuck in a blocking call."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


STUCK_FOR = 60.0
"""Seconds the child's generator sleeps (see `quit_while_blocked`)."""
LIMIT = 10.0
"""Seconds the exit may take, interpreter shutdown included: far below `STUCK_FOR`, so a
quit that waited for the generator fails, and far above a busy machine's start-up."""


def test_quit_while_a_sync_generator_sleeps_exits_without_waiting_for_it() -> None:
    """The child quits mid-stream while its backend sleeps for 60 s; it must not wait."""
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
    assert elapsed < LIMIT, f"exit took {elapsed:.2f} s after quitting"
