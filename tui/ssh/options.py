"""The `serve` command line: `inkstream serve ssh ...` and `inkstream serve web ...`.

Nothing heavy is imported here; `serve` imports the server it runs. The app each
session runs gets the flags given before `serve` (`--backend`, `--model`, `--profile`,
`--config`, `--typewriter`, ...), so that `inkstream --backend openai --model llama3.2
serve ssh` serves that model. An `--api-key` goes to the app through its environment,
never its command line, where `ps` would show it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

__all__ = ["add_serve_arguments", "app_flags", "serve"]

APP_FLAGS = (
    "backend",
    "profile",
    "model",
    "base_url",
    "system",
    "temperature",
    "typewriter",
    "cursor",
    "theme",
    "config",
)
"""The top-level options passed on to each session's app, by their `argparse` dest."""


def _positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0 to 65535, not {text}")
    return port


def add_serve_arguments(commands: argparse._SubParsersAction) -> None:
    """Add `serve ssh` and `serve web` to the command's subcommands."""
    from tui.ssh.auth import default_authorized_keys_path
    from tui.ssh.keys import default_host_key_path

    serve = commands.add_parser(
        "serve",
        help="serve the chat to others: over SSH, or to a browser",
        description="Serve the chat. Backend and display flags go before `serve`: "
        "inkstream --backend openai --model llama3.2 serve ssh",
    )
    kinds = serve.add_subparsers(dest="serve", metavar="ssh|web", required=True)
    ssh = kinds.add_parser("ssh", help="one chat, with its own history, per SSH login")
    ssh.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    ssh.add_argument("--port", type=_port, default=2222, help="0 picks one (%(default)s)")
    ssh.add_argument(
        "--authorized-keys",
        type=Path,
        metavar="PATH",
        default=default_authorized_keys_path(),
        help="public keys that may log in, each with user=NAME (%(default)s)",
    )
    ssh.add_argument(
        "--host-key",
        type=Path,
        metavar="PATH",
        default=default_host_key_path(),
        help="the server's private key, made on the first run (%(default)s)",
    )
    ssh.add_argument(
        "--data-dir", type=Path, metavar="PATH", help="users' histories go in PATH/users/NAME/"
    )
    ssh.add_argument("--max-sessions", type=_positive(int), metavar="N", help="cap at N at once")
    ssh.add_argument(
        "--idle-timeout", type=_positive(float), metavar="S", help="close after S s of no input"
    )
    web = kinds.add_parser("web", help="serve the chat to a browser with textual-serve")
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    web.add_argument("--port", type=_port, default=8000, help="(%(default)s)")
    web.add_argument("--public-url", metavar="URL", help="the address browsers use, if not that")
    web.add_argument(
        "--login",
        choices=("none", "token", "header"),
        default="none",
        help="none: one shared history, loopback only (the default); token: each user "
        "opens the link `inkstream users add NAME` printed; header: a reverse proxy names "
        "the user in --user-header",
    )
    web.add_argument(
        "--data-dir", type=Path, metavar="PATH", help="users' histories go in PATH/users/NAME/"
    )
    web.add_argument(
        "--user-header", default="X-Forwarded-User", metavar="NAME", help="(%(default)s)"
    )
    web.add_argument(
        "--trusted-proxy",
        action="append",
        metavar="ADDRESS",
        help="the proxy's address, believed about --user-header (127.0.0.1 and ::1)",
    )


def app_flags(args: argparse.Namespace) -> list[str]:
    """The app's own flags among `args`, as a command line for each session's app.

    Example:
        >>> app_flags(argparse.Namespace(backend="echo", base_url=None, temperature=0.5))
        ['--backend', 'echo', '--temperature', '0.5']
    """
    flags: list[str] = []
    for dest in APP_FLAGS:
        value = getattr(args, dest, None)
        if value is not None:
            flags += ["--" + dest.replace("_", "-"), str(value)]
    return flags


def serve(args: argparse.Namespace) -> int:
    """Run `inkstream serve ssh` or `inkstream serve web`; return the exit code."""
    api_key = getattr(args, "api_key", None)
    env = {} if api_key is None else {"OPENAI_API_KEY": api_key}
    from platformdirs import user_data_path

    if args.serve == "web":
        return _serve_web(args, env, args.data_dir or user_data_path("inkstream"))
    from tui.ssh.hub import ServeSettings
    from tui.ssh.run import serve_ssh

    if getattr(args, "db", None) is not None:
        from tui.say import say_error

        say_error("serve ssh keeps one history per user under --data-dir; drop --db")
        return 2
    settings = ServeSettings(
        authorized_keys=args.authorized_keys,
        host_key=args.host_key,
        data_dir=args.data_dir or user_data_path("inkstream"),
        host=args.host,
        port=args.port,
        max_sessions=args.max_sessions,
        idle_timeout=args.idle_timeout,
        app_args=app_flags(args),
        app_env=env,
        history=not getattr(args, "no_history", False),
    )
    return serve_ssh(settings)


def _serve_web(args: argparse.Namespace, env: dict[str, str], data_dir: Path) -> int:
    from tui.ssh.web import WebSettings, serve_web

    no_history = getattr(args, "no_history", False)
    db = getattr(args, "db", None)
    flags = app_flags(args)
    if args.login == "none":
        flags += ["--no-history"] if no_history else ["--db", str(db)] if db else []
    elif db is not None:
        from tui.say import say_error

        say_error(f"serve web --login {args.login} keeps one history per user; drop --db")
        return 2
    settings = WebSettings(
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        login=args.login,
        data_dir=data_dir,
        user_header=args.user_header,
        trusted_proxies=args.trusted_proxy or ["127.0.0.1", "::1"],
        history=not no_history,
    )
    return serve_web(settings, flags, env)
