"""The `inkstream` command line."""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import version

from tui.backends import Backend

BUILT_IN = ("demo", "echo")


def _load(name: str) -> Backend:
    if name == "echo":
        from tui.backends.echo import echo

        return echo
    from tui.backends.demo import demo

    return demo


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, kept separate so that tests can read its help."""
    parser = argparse.ArgumentParser(
        prog="inkstream",
        description="A terminal chat that writes any stream as it arrives.",
    )
    parser.add_argument(
        "--backend",
        choices=BUILT_IN,
        default="demo",
        help="where answers come from (default: demo, which works offline)",
    )
    parser.add_argument(
        "--typewriter",
        type=float,
        default=400.0,
        metavar="CHARS_PER_SEC",
        help="typing speed of answers in characters per second; 0 shows text at once",
    )
    parser.add_argument(
        "--cursor", default="▌", metavar="TEXT", help="shown while an answer streams"
    )
    parser.add_argument("--version", action="version", version=version("inkstream"))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `inkstream` command."""
    args = build_parser().parse_args(argv)
    if args.typewriter < 0:
        build_parser().error("--typewriter must be 0 or more")
    from tui.app import ChatApp

    app = ChatApp(
        backend=_load(args.backend),
        backend_name=args.backend,
        typewriter=args.typewriter,
        cursor=args.cursor,
    )
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
