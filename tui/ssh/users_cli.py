"""`inkstream users add|list|remove`: the web users of `serve web --login token`.

`add NAME` prints, once, the link with NAME's new token; nothing else ever shows it.
`remove NAME` takes the token away (any tab they have open is closed within seconds);
their history stays in `users/NAME/`, which says where.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from tui.say import say, say_error

__all__ = ["add_users_arguments", "users_command"]


def add_users_arguments(commands: argparse._SubParsersAction) -> None:
    """Add `users add`, `users list` and `users remove` to the command's subcommands."""
    users = commands.add_parser(
        "users",
        help="the web users of `serve web --login token`",
        description="Each web user has a secret token, stored hashed in "
        "DATA_DIR/web_users.json, and a history in DATA_DIR/users/NAME/.",
    )
    users.add_argument(
        "--data-dir", type=Path, metavar="PATH", help="as given to `serve web --data-dir`"
    )
    what = users.add_subparsers(dest="users", metavar="add|list|remove", required=True)
    add = what.add_parser("add", help="give NAME a token and print their link")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--replace", action="store_true", help="a new token; the old one ends")
    add.add_argument(
        "--url",
        default="http://127.0.0.1:8000",
        help="the server's address, as users' browsers reach it (%(default)s)",
    )
    what.add_parser("list", help="every web user: when made, when last logged in")
    remove = what.add_parser("remove", help="take NAME's token away; their history stays")
    remove.add_argument("name", metavar="NAME")


def users_command(args: argparse.Namespace) -> int:
    """Run `inkstream users ...`; return the exit code."""
    from platformdirs import user_data_path

    from tui.ssh.user_dirs import user_history_path
    from tui.ssh.web_users import WebUserError, WebUsers

    users = WebUsers(args.data_dir or user_data_path("inkstream"))
    try:
        if args.users == "add":
            token = users.add(args.name, replace=args.replace)
            say(f"{args.url.rstrip('/')}/?token={token}")
            say(
                f"The link above logs {args.name} in to `serve web --login token`. "
                "It is shown only now: send it to them privately.",
                sys.stderr,
            )
            return 0
        if args.users == "remove":
            users.remove(args.name)
            home = user_history_path(users.data_dir, args.name).parent
            say(f"Removed {args.name}'s token. Their history stays in {home}.")
            return 0
        listed = users.users()
        if not listed:
            say(f"No web users in {users.data_dir} yet: `inkstream users add NAME` makes one.")
        for user in listed:
            last = "never" if user.last_login is None else _when(user.last_login)
            say(f"{user.name:<20} made {_when(user.created)}  last login {last}")
        return 0
    except WebUserError as error:
        say_error(str(error))
        return 2
    except (OSError, ValueError) as error:
        say_error(f"{users.path}: {error}")
        return 2


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
