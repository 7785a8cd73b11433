"""`python -m tui` runs the same command as `inkstream`."""

from tui.cli import run

run()
