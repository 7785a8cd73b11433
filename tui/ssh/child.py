"""The program each SSH session runs: take the PTY as the controlling terminal, then run
`inkstream` with the arguments given.

`ptyproc` starts it in a new session with the PTY's slave as stdin, stdout and stderr. A
session leader doesn't get a controlling terminal from inherited descriptors, so this
asks for one (`TIOCSCTTY`). With it, the kernel sends the app `SIGWINCH` when the window
size changes and `SIGHUP` when the server side of the PTY closes, so the app ends even if
the server is killed outright.
"""

from __future__ import annotations

import fcntl
import runpy
import sys
import termios


def main() -> None:
    """Make stdin the controlling terminal and run `python -m tui` with our arguments."""
    if sys.stdin.isatty():
        fcntl.ioctl(sys.stdin.fileno(), termios.TIOCSCTTY, 0)
    runpy.run_module("tui", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
