"""The app's own commands in the command palette (Ctrl+P): new chat, sessions, export and
stop, beside Textual's (theme, keys, quit)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand

if TYPE_CHECKING:
    from tui.app_sessions import SessionsApp

__all__ = ["app_commands", "export_open_session"]


def app_commands(app: SessionsApp) -> Iterator[SystemCommand]:
    """The commands that apply now: stop only while an answer streams, the session list
    only with a history, export only once the chat is a stored session."""
    yield SystemCommand("New chat", "Start a new chat (Ctrl+N)", app.action_new_chat)
    if app.busy:
        yield SystemCommand("Stop the answer", "Stop it, keeping what arrived (Esc)", app.stop_turn)
    if app.history is not None:
        yield SystemCommand(
            "Sessions", "Open, search, rename or delete sessions (Ctrl+O)", app.action_sessions
        )
    if app.history is not None and app.recorder is not None and app.recorder.session_id:
        yield SystemCommand(
            "Export this chat as Markdown",
            "Write it to inkstream-session-N.md in the current folder",
            lambda: export_open_session(app),
        )


def _free_path(stem: str) -> Path:
    path = Path.cwd() / f"{stem}.md"
    number = 2
    while path.exists():
        path = Path.cwd() / f"{stem}-{number}.md"
        number += 1
    return path


def export_open_session(app: SessionsApp) -> Path | None:
    """Write the open session as Markdown to a new file in the current folder (never over
    an existing one) and say where; return the path, `None` if it could not be written."""
    from tui.history.export import export_markdown

    if app.history is None or app.recorder is None or app.recorder.session_id is None:
        return None
    session_id = app.recorder.session_id
    path = _free_path(f"inkstream-session-{session_id}")
    try:
        path.write_text(export_markdown(app.history, session_id), encoding="utf-8")
    except OSError as error:
        app.notify(f"Could not export to {path}: {error.strerror}", severity="error", markup=False)
        return None
    app.notify(f"Exported to {path}", markup=False)
    return path
