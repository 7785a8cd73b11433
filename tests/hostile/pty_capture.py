"""Commands run in a real pseudo-terminal, and the check that nothing in their output is a
character a terminal would act on, for the lines that leave outside the chat."""

from __future__ import annotations

import contextlib
import fcntl
import os
import struct
import subprocess
import sys
import termios
import threading
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "HOSTILE",
    "HOSTILE_TEXT",
    "Captured",
    "PtyReader",
    "inkstream",
    "leaks",
    "run_in_pty",
    "shown",
]

ROOT = Path(__file__).resolve().parents[2]

_ONE_LINE = (
    "\x1b]52;c;UFdO\x07\x1b]0;PWN\x07\x1b[2J bad \x9b31m csi \x9d0;T\x9c osc"
    " \u202eevil\u202c \u2066iso\u2069 \x1b]52;c;UFdO\x1b\\ st"
    " \x08bs \x00nul \x1bP+q\x1b\\ dcs \x7fdel"
)
_CR = " over\rwrite"
"""Last: an error line keeps only the first line of a message, and CR ends one."""
HOSTILE_TEXT = _ONE_LINE + _CR
"""The issue's payload (OSC 52, OSC 0, ESC [2J) and variants: C1 CSI and OSC, bidi
overrides and isolates, OSC 52 ended by ST, backspace, NUL, DCS, DEL and a lone CR."""
HOSTILE = _ONE_LINE + " \ud800 \udc80 sur" + _CR
"""The same with lone surrogates, where the text need not be stored first."""

_BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029}


def leaks(output: bytes) -> list[str]:
    """Every character in `output` a terminal would act on, beyond a line's end.

    A pty writes a newline as CR LF, so a CR is allowed only before an LF. Bytes that
    are not UTF-8 (a raw 0x9b, a surrogate written out) count as leaks too.
    """
    text = output.decode("utf-8", "surrogateescape").replace("\r\n", "\n")
    found = []
    for char in text:
        code = ord(char)
        control = (code < 0x20 and char not in "\n\t") or 0x7F <= code < 0xA0
        if control or code in _BIDI or 0xD800 <= code < 0xE000:
            found.append(repr(char))
    return found


def inkstream() -> list[str]:
    """The installed `inkstream` script beside this Python, else `python -m tui`."""
    script = Path(sys.executable).with_name("inkstream")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


class PtyReader:
    """A pty whose slave side a child writes to, and a thread collecting what it writes."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.output = bytearray()
        self._thread = threading.Thread(target=self._read, daemon=True)

    def start(self) -> None:
        """Start reading; call once the child holds the slave side (it is closed here)."""
        os.close(self.slave)
        self._thread.start()

    def _read(self) -> None:
        with contextlib.suppress(OSError):  # EIO: every writer has closed the slave side
            while chunk := os.read(self.master, 65536):
                self.output += chunk

    def lines(self) -> list[str]:
        """The output so far as text lines."""
        return bytes(self.output).decode("utf-8", "surrogateescape").splitlines()

    def close(self) -> None:
        """Wait for the reader to see the end, then close the master."""
        self._thread.join(timeout=10)
        with contextlib.suppress(OSError):
            os.close(self.master)


@dataclass
class Captured:
    """What a command wrote: `tty` to the pty, `stdout` to a pipe if it had one."""

    code: int
    tty: bytes
    stdout: bytes


def run_in_pty(
    *arguments: str, cwd: Path = ROOT, env: dict[str, str] | None = None, pipe_stdout: bool = False
) -> Captured:
    """Run `inkstream ARGUMENTS` with stdin and stderr (and stdout, unless piped) on a pty."""
    reader = PtyReader()
    environment = {**os.environ, "TERM": "xterm-256color", **(env or {})}
    environment.pop("TEXTUAL", None)
    process = subprocess.Popen(
        [*inkstream(), *arguments],
        cwd=cwd,
        env=environment,
        stdin=reader.slave,
        stdout=subprocess.PIPE if pipe_stdout else reader.slave,
        stderr=reader.slave,
        start_new_session=True,
    )
    reader.start()
    try:
        stdout, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.close()
    return Captured(process.returncode, bytes(reader.output), stdout or b"")


def shown(output: bytes) -> str:
    """The output as text, CR LF as LF."""
    return output.decode("utf-8", "surrogateescape").replace("\r\n", "\n")
