"""Startup: from running `inkstream` to its first frame on a terminal, against importing Textual.

`inkstream --no-history` (and, separately, with a history in an empty data directory)
runs in a new pseudo-terminal of 100x40 cells, as a user would start it. The clock
starts just before the process is spawned and stops when the first frame's text (the
welcome line) has been read from the terminal. The process is then ended. The baseline
is `python -c "import textual"` with the same interpreter, which starts no app at all:
the floor any Textual app starts from. Each is run `RUNS` times (3 with `--quick`) and
the median is reported.

`python -X importtime` of the startup path names the modules it imports; the note says
whether pandas, numpy, openai, asyncssh, anthropic or langchain are among them (they
must be imported lazily, on first use).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from benchmarks.harness import Row, goal

__all__ = ["HEAVY", "run"]

RUNS, QUICK_RUNS = 7, 3
GOAL = 0.6
SIZE = (40, 100)
FIRST_FRAME = b"Type a message"
"""Text of the welcome line, which the first frame shows."""
TIMEOUT = 30.0
HEAVY = ("pandas", "numpy", "openai", "asyncssh", "anthropic", "langchain_core", "pyarrow")
"""Modules the startup path must not import."""
BIN = Path(sys.executable).parent


def time_to_first_frame(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning `command` in a new pty to reading `FIRST_FRAME` from it."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", *SIZE, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    try:
        while FIRST_FRAME not in seen:
            if time.perf_counter() - start > TIMEOUT:
                raise TimeoutError(f"no first frame after {TIMEOUT} s: {seen[-500:]!r}")
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                seen = seen[-4096:] + os.read(leader, 65536)
        return time.perf_counter() - start
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(leader)


def time_command(command: list[str]) -> float:
    """Seconds for `command` to run to its end."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def heavy_imports(code: str) -> list[str]:
    """The `HEAVY` modules that running `code` imports, by `python -X importtime`."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines()}
    return [name for name in HEAVY if name in names]


async def run(quick: bool) -> list[Row]:
    """Start the app and import Textual, `RUNS` times each; the report's rows."""
    runs = QUICK_RUNS if quick else RUNS
    with tempfile.TemporaryDirectory(prefix="inkstream-startup-") as home:
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "XDG_DATA_HOME": str(Path(home) / "data"),
            "XDG_CONFIG_HOME": str(Path(home) / "config"),
            "HOME": home,
        }
        for name in ("TEXTUAL", "INKSTREAM_BACKEND", "INKSTREAM_PROFILE"):
            env.pop(name, None)
        inkstream = [str(BIN / "inkstream")]
        bare = [time_to_first_frame([*inkstream, "--no-history"], env) for _ in range(runs)]
        stored = [time_to_first_frame(inkstream, env) for _ in range(runs)]
    textual = [time_command([sys.executable, "-c", "import textual"]) for _ in range(runs)]
    app = [time_command([sys.executable, "-c", "import textual.app"]) for _ in range(runs)]
    heavy = heavy_imports(
        "import tui.cli, tui.app, tui.widgets.transcript.stream_view, tui.widgets.transcript.render"
    )
    lazily = "none of " + ", ".join(HEAVY) if not heavy else "imports " + ", ".join(heavy)
    floor = statistics.median(textual)
    median = statistics.median(stored)
    return [
        Row(
            "startup",
            "`inkstream` (history on) to the first frame in a pty",
            median,
            'python -c "import textual"',
            floor,
            f"median of {runs}; `import textual.app` alone takes "
            f"{statistics.median(app) * 1000:.0f} ms; the startup path {lazily}",
            goal=goal(median <= GOAL and not heavy, "<= 0.6 s, heavy imports lazy"),
        ),
        Row(
            "startup",
            "`inkstream --no-history` to the first frame",
            statistics.median(bare),
            'python -c "import textual"',
            floor,
            f"median of {runs}",
        ),
    ]
