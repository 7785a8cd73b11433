"""`SessionList`: a screen to open, rename, delete and search stored sessions."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from tui.history.errors import storage_problem
from tui.labels import backend_label
from tui.text import printable

if TYPE_CHECKING:
    from tui.history.store import HistoryStore

__all__ = ["RenameSession", "SessionList"]


class SessionList(ModalScreen[int | None]):
    """Every stored session, newest first; dismissed with the id of the one to open.

    Args:
        store: The history to list.
        current: The session the chat shows now, marked in the list.
    """

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("slash", "search", "Search"),
        Binding("r", "rename", "Rename"),
        Binding("d", "delete", "Delete"),
    ]

    class Deleted(Message):
        """A session was deleted from the list; the app starts a new chat if it was open."""

        def __init__(self, session_id: int) -> None:
            super().__init__()
            self.session_id = session_id

    class Renamed(Message):
        """A session was renamed from the list; the app renames it in its header if open."""

        def __init__(self, session_id: int, title: str) -> None:
            super().__init__()
            self.session_id = session_id
            self.title = title

    def __init__(self, store: HistoryStore, *, current: int | None = None) -> None:
        super().__init__()
        self.store = store
        self.current = current
        self._delete_armed: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="sessions-box") as box:
            box.border_title = "Sessions"
            box.border_subtitle = "Enter open · / search · r rename · d delete · Esc close"
            yield Input(placeholder="Search all sessions…", id="search")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("title", "backend · model", "updated", "messages")
        self._show_sessions()
        table.focus()

    def _show_sessions(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for info in self.store.sessions():
            marker = "● " if info.id == self.current else ""
            table.add_row(
                Text(marker + printable(info.title)),
                Text(printable(backend_label(info.backend, info.model))),
                Text(info.updated.astimezone().strftime("%Y-%m-%d %H:%M")),
                Text(f"{info.message_count:,}", justify="right"),
                key=str(info.id),
            )

    def on_input_changed(self, event: Input.Changed) -> None:
        query = event.value.strip()
        if not query:
            self._show_sessions()
            return
        table = self.query_one(DataTable)
        table.clear()
        seen: set[int] = set()
        for hit in self.store.search(query):
            if hit.session_id in seen:
                continue
            seen.add(hit.session_id)
            table.add_row(
                Text(printable(hit.title)),
                Text(printable(hit.snippet)),
                Text(""),
                Text(""),
                key=str(hit.session_id),
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(int(str(event.row_key.value)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"rename", "delete"}:
            return isinstance(self.focused, DataTable) and self._selected() is not None
        return True

    def _selected(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(str(row_key.value))

    def action_search(self) -> None:
        self.query_one(Input).focus()

    def action_rename(self) -> None:
        session_id = self._selected()
        if session_id is None:
            return

        def renamed(title: str | None) -> None:
            if title and self._change(
                "rename", lambda: self.store.rename_session(session_id, title)
            ):
                self.post_message(self.Renamed(session_id, title))
                self._show_sessions()

        self.app.push_screen(RenameSession(self.store.session(session_id).title), renamed)

    def action_delete(self) -> None:
        session_id = self._selected()
        if session_id is None:
            return
        if self._delete_armed != session_id:
            self._delete_armed = session_id
            title = self.store.session(session_id).title
            self.notify(f"Press d again to delete “{printable(title)}”.", markup=False)
            return
        self._delete_armed = None
        if self._change("delete", lambda: self.store.delete_session(session_id)):
            self.post_message(self.Deleted(session_id))
            if session_id == self.current:
                self.current = None
            self._show_sessions()
            self.notify("Session deleted.")

    def _change(self, verb: str, change: Callable[[], None]) -> bool:
        """Make a change to the file; if it can't be written, say why and change nothing."""
        try:
            change()
        except sqlite3.Error as error:
            problem = storage_problem(error)
            if problem is None:
                raise
            self.notify(f"Could not {verb} the session: {problem}.", severity="error", markup=False)
            return False
        return True


class RenameSession(ModalScreen[str | None]):
    """Ask for a session's new title; dismissed with it, or `None` when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_now = title

    def compose(self) -> ComposeResult:
        with Vertical(id="rename-box") as box:
            box.border_title = "Rename session"
            yield Static(Text("New title, then Enter (Esc cancels):"))
            yield Input(value=self.title_now, id="title")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(" ".join(event.value.split()) or None)
