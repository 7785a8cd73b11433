"""The `inkstream` command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the `inkstream` command."""
    print("inkstream: the chat app is not built yet; `make test` runs the engine's tests.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
