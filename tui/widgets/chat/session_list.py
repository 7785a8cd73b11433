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
from tui.text import printable
from tui.widgets.chat.session_rows import (
    LIST_COLUMNS,
    SEARCH_COLUMNS,
    Chosen,
    hit_row,
    session_row,
)

if TYPE_CHECKING:
    from tui.history.store import HistoryStore

__all__ = ["RenameSession", "SessionList"]


class SessionList(ModalScreen[Chosen | None]):
    """Every stored session, newest first; dismissed with the one to open, and for a
    search hit the message to show.

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
        self._show_sessions()
        self.query_one(DataTable).focus()

    def _columns(self, names: tuple[str, ...]) -> DataTable[Text]:
        table: DataTable[Text] = self.query_one(DataTable)
        if tuple(str(column.label) for column in table.columns.values()) != names:
            table.clear(columns=True)
            table.add_columns(*names)
        else:
            table.clear()
        return table

    def _show_sessions(self) -> None:
        table = self._columns(LIST_COLUMNS)
        for info in self.store.sessions():
            table.add_row(*session_row(info, self.current), key=Chosen(info.id).key)

    def on_input_changed(self, event: Input.Changed) -> None:
        query = event.value.strip()
        if not query:
            self._show_sessions()
            return
        table = self._columns(SEARCH_COLUMNS)
        infos = {info.id: info for info in self.store.sessions()}
        seen: set[int] = set()
        for hit in self.store.search(query):
            info = infos.get(hit.session_id)
            if info is None or hit.session_id in seen:
                continue  # one row a session: its newest match
            seen.add(hit.session_id)
            key = Chosen(hit.session_id, hit.message_id).key
            table.add_row(*hit_row(hit, info, self.current), key=key)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(Chosen.from_key(str(event.row_key.value)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"rename", "delete"}:
            return isinstance(self.focused, DataTable) and self._selected() is not None
        return True

    def _selected(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return Chosen.from_key(str(row_key.value)).session_id

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
