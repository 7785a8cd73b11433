"""The `inkstream` command line: parse, load the config and the backend, then run."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sqlite3
import sys
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from tui.backends import Settings, describe_error
from tui.backends.registry import BackendLoadError, available, load, summary
from tui.config import Config, ConfigError, default_config_path, load_config
from tui.history.errors import HistoryError
from tui.history.store import SessionNotFound
from tui.history_cli import (
    add_history_arguments,
    export_session,
    import_session,
    list_sessions,
    open_store,
)
from tui.say import say, say_error
from tui.signals import ending_signals
from tui.ssh.options import add_serve_arguments, serve
from tui.ssh.users_cli import add_users_arguments, users_command

if TYPE_CHECKING:
    from tui.print_turn import PrintSession

EPILOG = """\
backends:
  demo                      offline, needs no key (the default)
  echo                      types your prompt back
  openai                    any OpenAI-compatible server: OpenAI, Ollama, vLLM,
                            llama.cpp, LM Studio (see --base-url and --model)
  package.module:function   a backend in your own code
  ./file.py:function        a backend in a file
  NAME                      a backend an installed package registers

examples:
  inkstream
  inkstream --backend openai --base-url http://127.0.0.1:11434/v1 --model llama3.2
  inkstream --profile local -p "Summarise this" < notes.txt
  inkstream backends
  inkstream --backend openai --model llama3.2 serve ssh --port 2222

settings apply in this order, later winning: defaults, the config file,
the environment (INKSTREAM_BACKEND, INKSTREAM_PROFILE, INKSTREAM_MODEL,
OPENAI_BASE_URL, OPENAI_API_KEY), then flags.
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, kept separate so that tests can read its help."""
    parser = argparse.ArgumentParser(
        prog="inkstream",
        description="A terminal chat that writes any stream as it arrives.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=version("inkstream"))
    parser.add_argument(
        "-p",
        "--print",
        dest="prompt",
        metavar="PROMPT",
        help="print one answer to stdout and exit; text piped to stdin follows the prompt "
        "after a blank line (or is the prompt, without -p); with --session ID or --resume, "
        "continue that session",
    )
    where = parser.add_argument_group("backend")
    where.add_argument(
        "--backend", metavar="SPEC", help="demo, echo, openai, NAME or module:function"
    )
    where.add_argument(
        "--profile", metavar="NAME", help="a [profiles.NAME] table of the config file"
    )
    where.add_argument("--model", metavar="NAME", help="the model to ask for")
    where.add_argument(
        "--base-url", metavar="URL", help="an OpenAI-compatible server (OPENAI_BASE_URL)"
    )
    where.add_argument(
        "--api-key",
        metavar="KEY",
        help="the server's key (OPENAI_API_KEY); local servers need none",
    )
    where.add_argument("--system", metavar="TEXT", help="a system prompt")
    where.add_argument(
        "--temperature", type=float, metavar="T", help="sampling temperature, 0 to 2"
    )
    where.add_argument(
        "--connect-timeout",
        type=float,
        metavar="SECONDS",
        help="give up connecting to the server after this long (default 10)",
    )
    where.add_argument(
        "--read-timeout",
        type=float,
        metavar="SECONDS",
        help="give up when the server sends nothing for this long (default 120)",
    )
    look = parser.add_argument_group("display")
    look.add_argument(
        "--typewriter",
        type=float,
        metavar="CHARS_PER_SEC",
        help="typing speed of answers; 0 shows text at once (default 400)",
    )
    look.add_argument(
        "--cursor", metavar="TEXT", help='shown while an answer streams (default "▌")'
    )
    look.add_argument("--theme", metavar="NAME", help="a Textual theme, such as textual-light")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help=f"the config file (default {default_config_path()})",
    )
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    commands.add_parser("backends", help="list the backends that can be found")
    add_history_arguments(parser, commands)
    add_serve_arguments(commands)
    add_users_arguments(commands)
    return parser


def _fail(message: str) -> int:
    say_error(message)
    return 2


def list_backends() -> int:
    """Print every backend that can be found, with its one-line description."""
    for name, point in sorted(available().items()):
        try:
            description = summary(point.load())
        except Exception as error:
            description = f"(cannot be loaded: {describe_error(error)})"
        say(f"{name:<10} {description}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the `inkstream` command and return its exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "backends":
        return list_backends()
    if args.command == "serve":
        return serve(args)
    if args.command == "users":
        return users_command(args)
    if args.command in {"export", "import"} or args.list:
        return _history_command(args)
    flags = {
        name: getattr(args, name)
        for name in (*Config.model_fields, "profile")
        if name in vars(args) and name != "profiles"
    }
    try:
        config = load_config(args.config, flags=flags)
        backend = load(config.backend or "demo")
    except (ConfigError, BackendLoadError) as error:
        return _fail(str(error))
    from tui.print_turn import read_piped, with_piped_input

    prompt = args.prompt
    if prompt is not None:
        prompt = with_piped_input(prompt, sys.stdin)
    # A driver named in TEXTUAL_DRIVER (textual-serve's web driver) reads stdin itself.
    elif "TEXTUAL_DRIVER" not in os.environ and not _is_terminal(sys.stdin):
        prompt = read_piped(sys.stdin)
    if prompt is not None:
        if not prompt.strip():
            return _fail("the prompt is empty: pass -p PROMPT or pipe text to stdin")
        return _print_mode(config, backend, args, prompt)
    try:
        return _run_app(config, backend, args)
    except (HistoryError, sqlite3.Error) as error:
        return _fail(_history_problem(error))


def _is_terminal(stream: Any) -> bool:
    return stream is None or stream.isatty()


def _print_mode(config: Config, backend: Any, args: argparse.Namespace, prompt: str) -> int:
    """Print one answer; `--session ID` or `--resume` continue a stored session: its
    turns go to the backend as context, and the new turn is saved to it."""
    from tui.print_turn import PrintSession

    session = None
    if args.session is not None or args.resume:
        if args.no_history:
            return _fail("--resume and --session need the history: drop --no-history")
        try:
            store = open_store(args)
            session_id = args.session if args.session is not None else store.latest_session()
            if session_id is None:
                return _fail("--resume: there is no session yet; drop it to start one")
            session = PrintSession(
                store, session_id, backend=config.backend or "demo", model=config.model
            )
        except (HistoryError, sqlite3.Error) as error:
            return _fail(_history_problem(error))
    try:
        return asyncio.run(_print_until_ended(backend, prompt, config.settings(), session))
    except KeyboardInterrupt:
        return 130


async def _print_until_ended(
    backend: Any, prompt: str, settings: Settings, session: PrintSession | None
) -> int:
    """Print mode, where SIGTERM and SIGHUP stop the answer as Ctrl+C does: what arrived
    stays printed (and saved, with a session), the terminal is restored, and the exit
    code is 128 + the signal."""
    from tui.print_turn import print_turn

    task = asyncio.current_task()
    ended: list[int] = []

    def end(number: int) -> None:
        ended.append(number)
        if task is not None:
            task.cancel()

    with ending_signals(asyncio.get_running_loop(), end):
        try:
            return await print_turn(backend, prompt, settings, session)
        except asyncio.CancelledError:
            if not ended:
                raise
            return 128 + ended[0]


def _history_command(args: argparse.Namespace) -> int:
    try:
        with open_store(args) as store:
            if args.list:
                return list_sessions(store)
            if args.command == "export":
                return export_session(store, args.session_id, args.format, args.output)
            return import_session(store, args.file)
    except (HistoryError, ValueError, OSError, sqlite3.Error) as error:
        return _fail(_history_problem(error))


def _history_problem(error: Exception) -> str:
    if isinstance(error, SessionNotFound):
        return f"{error.args[0]}: `inkstream --list` shows the sessions there are"
    return str(error)


def _run_app(config: Config, backend: object, args: argparse.Namespace) -> int:
    from tui.app import ChatApp

    history = None if args.no_history else open_store(args)
    session_id = args.session
    if history is not None:
        if args.resume:
            session_id = history.latest_session()
        if session_id is not None:
            history.session(session_id)  # fail before the TUI starts
    elif args.resume or session_id is not None:
        return _fail("--resume and --session need the history: drop --no-history")
    from tui.state import AppState

    state = AppState()
    app = ChatApp(
        backend=backend,  # type: ignore[arg-type]
        backend_name=config.backend,
        typewriter=config.typewriter,
        cursor=config.cursor,
        settings=config.settings(),
        history=history,
        session_id=session_id,
        state=state,
    )
    # --theme, then the theme last picked in the palette, then the config file's.
    remembered = state.theme if state.theme in app.available_themes else None
    theme = args.theme or remembered or config.theme
    if theme is not None:
        if theme not in app.available_themes:
            names = ", ".join(sorted(app.available_themes))
            return _fail(f"no theme named {theme!r}; themes: {names}")
        app.theme = theme
    app.run()
    return app.return_code or 0


def run() -> NoReturn:
    """The `inkstream` command: `main()`, then leave at once.

    Everything has been saved and the terminal restored when `main` returns, so the
    interpreter's own teardown (half a second for a process holding Textual and pandas,
    which made Ctrl+Q feel slow) is skipped: the output is flushed and the process ends.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a reader that went away: nothing to say
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
