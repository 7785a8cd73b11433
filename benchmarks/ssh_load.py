"""SSH load: 20 concurrent logins to `inkstream serve ssh`, each streaming a demo answer.

A real server runs as a subprocess on 127.0.0.1 (demo backend, typewriter off), and real
asyncssh clients with PTYs draw what they receive on pyte screens (`tests/ssh/`). Measured:

- *time to first screen*: from opening the TCP connection to the chat's prompt box on
  the client's screen, so key exchange, login, forking the app in its PTY and its first
  paint; for one login alone (the baseline) and for 20 at once (p50 and slowest). A
  login first warms the app launcher, which imports the app once per server;
- *prompt to answer*: from typing a prompt to the demo answer's last line on screen, for
  one session alone and the slowest of 20 streaming at once (they type once all 20 have
  their first screen, so that logging in and streaming are measured apart);
- *peak RSS per session*: each app process's largest resident set, sampled every 50 ms
  with psutil while the 20 run, and its unique set (USS, what only it holds); and the
  server's own;
- *shutdown*: from `SIGTERM` with 20 sessions open to the server's exit (goal: 2 s).

`--quick` opens 2 sessions.
"""

from __future__ import annotations

import asyncio
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

from benchmarks.harness import Row
from tests.ssh.server_process import SSHServer, make_keys
from tests.ssh.terminal import Terminal, open_terminal

__all__ = ["run"]

SESSIONS = 20
QUICK_SESSIONS = 2
PROMPT_BOX = "Message inkstream"
ANSWER_END = "in the history."
"""The demo answer's last words."""
SAMPLE_EVERY = 0.05
USS_EVERY = 10
"""Read the USS (slower: it walks /proc/PID/smaps) every this many samples."""
MB = 1024 * 1024


async def _session(
    server: SSHServer, keys: object, index: int, everyone: asyncio.Barrier | None = None
) -> tuple[float, float, Terminal]:
    """Log in, wait for the first screen (and for `everyone` to see theirs), stream one
    answer; return both times."""
    started = time.perf_counter()
    conn, term = await open_terminal(server.port, keys.alice, f"user{index}")  # type: ignore[attr-defined]
    await term.wait_for(PROMPT_BOX, timeout=300)
    first_screen = time.perf_counter() - started
    if everyone is not None:
        await everyone.wait()
    asked = time.perf_counter()
    term.type(f"load test {index}: show me a table\r")
    await term.wait_for(f'"prompt": "load test {index}: show me a table"', ANSWER_END, timeout=300)
    answered = time.perf_counter() - asked
    term.conn = conn  # type: ignore[attr-defined]
    return first_screen, answered, term


class RssSampler:
    """The peak RSS of each of the server's apps, and of the server, while it runs."""

    def __init__(self, server: SSHServer) -> None:
        self.server = server
        self.peaks: dict[int, int] = {}
        self.unique: dict[int, int] = {}
        """Each app's peak USS: the memory only it holds, which its exit gives back."""
        self.server_peak = 0
        self.errors: list[str] = []
        """Why a USS reading failed, once per kind: a failure is never counted as 0."""
        self._task = asyncio.get_running_loop().create_task(self._sample())

    async def _sample(self) -> None:
        tick = 0
        while True:
            tick += 1
            for app in self.server.apps():
                try:
                    rss = app.memory_info().rss
                except psutil.Error:
                    continue
                self.peaks[app.pid] = max(self.peaks.get(app.pid, 0), rss)
                if tick % USS_EVERY == 0:
                    self.read_uss(app)
            rss = psutil.Process(self.server.process.pid).memory_info().rss
            self.server_peak = max(self.server_peak, rss)
            await asyncio.sleep(SAMPLE_EVERY)

    def read_uss(self, app: psutil.Process) -> None:
        """Read `app`'s USS now (its private pages: `/proc/PID/smaps_rollup`), keeping the
        peak; a failure is noted in `errors`, not counted."""
        try:
            uss = app.memory_full_info().uss
        except psutil.Error as error:
            if (kind := type(error).__name__) not in self.errors:
                self.errors.append(kind)
            return
        self.unique[app.pid] = max(self.unique.get(app.pid, 0), uss)

    def stop(self) -> None:
        """Stop sampling, after one last USS reading of every app still running."""
        self._task.cancel()
        for app in self.server.apps():
            self.read_uss(app)


async def _wait_no_apps(server: SSHServer) -> None:
    while server.apps():
        await asyncio.sleep(0.05)


async def run(quick: bool) -> list[Row]:
    """Measure one session alone, then `SESSIONS` at once, then a shutdown under load."""
    count = QUICK_SESSIONS if quick else SESSIONS
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        keys = make_keys(folder)
        server = SSHServer.start(folder, keys)
        try:
            # A first login waits for the app launcher to import the app; later ones don't.
            conn, warm = await open_terminal(server.port, keys.alice, "warm")
            await warm.wait_for(PROMPT_BOX, timeout=300)
            conn.close()
            await _wait_no_apps(server)
            alone_screen, alone_answer, term = await _session(server, keys, 0)
            term.conn.close()  # type: ignore[attr-defined]
            await _wait_no_apps(server)

            sampler = RssSampler(server)
            everyone = asyncio.Barrier(count)
            results = await asyncio.gather(
                *(_session(server, keys, index, everyone) for index in range(1, count + 1)),
                return_exceptions=True,
            )
            sampler.stop()
            done = [result for result in results if not isinstance(result, BaseException)]
            failures = [repr(result) for result in results if isinstance(result, BaseException)]
            apps = len(server.apps())
            stopping = time.perf_counter()
            server.process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(server.process.wait, 60)
            shutdown = time.perf_counter() - stopping
            left = [pid for pid in sampler.peaks if psutil.pid_exists(pid)]
            for _, _, term in done:
                term.conn.close()  # type: ignore[attr-defined]
        finally:
            server.stop()
    screens = [first for first, _, _ in done]
    print("first screens (s):", " ".join(f"{t:.2f}" for t in sorted(screens)), file=sys.stderr)
    answers = [answer for _, answer, _ in done]
    peaks = sorted(peak / MB for peak in sampler.peaks.values())
    unique = sorted(peak / MB for peak in sampler.unique.values())
    uss = (
        f"USS p50 {statistics.median(unique):.0f} MB, max {unique[-1]:.0f} MB over "
        f"{len(unique)} apps"
        if unique
        else "USS not read"
    ) + (f", failed reads: {', '.join(sampler.errors)}" if sampler.errors else "")
    finished = f"{len(done)}/{count} finished" + (f"; failed: {failures[:2]}" if failures else "")
    return [
        Row("ssh_load", f"time to first screen, p50 of {count} logins at once",
            statistics.median(screens) if screens else None, "one login alone", alone_screen,
            f"connect, key exchange, login, app start in its PTY, first paint; {finished}"),
        Row("ssh_load", f"time to first screen, slowest of {count} at once",
            max(screens, default=None), "one login alone", alone_screen,
            f"{len(peaks)} apps sampled"),
        Row("ssh_load", f"prompt to answer's end, slowest of {count} streaming at once",
            max(answers, default=None), "one session alone", alone_answer,
            "demo backend (~0.03 s a token), typewriter off"),
        Row("ssh_load", "peak RSS per session app", None, note=(
            f"p50 {statistics.median(peaks):.0f} MB, max {peaks[-1]:.0f} MB over {len(peaks)} "
            f"apps ({uss}); server "
            f"{sampler.server_peak / MB:.0f} MB" if peaks else "no app sampled")),
        Row("ssh_load", f"SIGTERM with {apps} sessions open to server exit", shutdown,
            note=f"goal 2 s; apps left after: {len(left)}"),
    ]  # fmt: skip
