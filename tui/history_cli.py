"""The history's side of the command line: list, export and import sessions."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from tui.say import say, say_document

if TYPE_CHECKING:
    from tui.history.store import HistoryStore

__all__ = ["add_history_arguments", "export_session", "import_session", "list_sessions"]


def add_history_arguments(
    parser: argparse.ArgumentParser, commands: argparse._SubParsersAction
) -> None:
    """Add `--db`, `--no-history`, `--resume`, `--session`, `--list`, `export` and `import`."""
    from tui.history.store import default_history_path

    group = parser.add_argument_group("history")
    group.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help=f"the history file (default {default_history_path()})",
    )
    group.add_argument("--no-history", action="store_true", help="keep this chat in memory only")
    opening = group.add_mutually_exclusive_group()
    opening.add_argument("--resume", action="store_true", help="reopen the last session")
    opening.add_argument("--session", type=int, metavar="ID", help="reopen session ID")
    opening.add_argument("--list", action="store_true", help="list the stored sessions and exit")
    export = commands.add_parser("export", help="write a session as Markdown or JSON")
    export.add_argument("session_id", type=int, metavar="SESSION", help="the session's id")
    export.add_argument("--format", choices=("md", "json"), default="md")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    imported = commands.add_parser("import", help="add a session from an exported JSON file")
    imported.add_argument("file", type=Path, metavar="FILE")


def open_store(args: argparse.Namespace) -> HistoryStore:
    """The store named by `--db`, or the default one."""
    from tui.history.store import HistoryStore, default_history_path

    return HistoryStore(args.db or default_history_path())


def list_sessions(store: HistoryStore) -> int:
    """Print one line per session: id, date, message count and title."""
    sessions = store.sessions()
    if not sessions:
        say("No sessions yet: start `inkstream` and send a prompt.")
    for info in sessions:
        when = info.updated.astimezone().strftime("%Y-%m-%d %H:%M")
        say(f"{info.id:>5}  {when}  {info.message_count:>5} msgs  {info.title}")
    return 0


def export_session(store: HistoryStore, session_id: int, fmt: str, output: Path | None) -> int:
    """Write one session as Markdown or JSON to a file or stdout."""
    from tui.history.export import export_json, export_markdown

    if fmt == "json":
        text = json.dumps(export_json(store, session_id), indent=2, ensure_ascii=False) + "\n"
    else:
        text = export_markdown(store, session_id)
    if output is None:
        say_document(text, json=fmt == "json")
    else:
        output.write_text(text, encoding="utf-8")
    return 0


def import_session(store: HistoryStore, path: Path) -> int:
    """Add the session in an exported JSON file; print its new id."""
    from tui.history.export import import_json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: cannot be read: {error}") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not JSON: {error}") from None
    try:
        session_id = import_json(store, data)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
    say(f"Imported as session {session_id}.")
    return 0
