"""Chat history: the turns of a conversation and their stored form.

`HistoryStore` keeps sessions in one SQLite file; `export_markdown`, `export_json` and
`import_json` move a session in and out of it. `history/` never imports widgets, Textual
or Rich, and imports pandas, numpy and pyarrow only to store or read back their objects.

Example:
    >>> from tui.history import HistoryStore, export_json, import_json
    >>> with HistoryStore(":memory:") as store:
    ...     chat = store.create_session(title="Greeting", backend="echo")
    ...     _ = store.add_message(chat, "user", "Hello")
    ...     copy = import_json(store, export_json(store, chat))
    ...     [message.value for message in store.messages(copy)]
    ['Hello']
"""

from tui.history.errors import (
    HistoryError,
    HistoryUnreadable,
    MessageNotFound,
    SchemaTooNew,
    SessionNotFound,
)
from tui.history.export import export_json, export_markdown, import_json
from tui.history.parts import StoredObject
from tui.history.store import (
    HistoryStore,
    SearchHit,
    SessionInfo,
    StoredMessage,
    default_history_path,
)
from tui.history.turns import Conversation, Turn, TurnStatus, summarise

__all__ = [
    "Conversation",
    "HistoryError",
    "HistoryStore",
    "HistoryUnreadable",
    "MessageNotFound",
    "SchemaTooNew",
    "SearchHit",
    "SessionInfo",
    "SessionNotFound",
    "StoredMessage",
    "StoredObject",
    "Turn",
    "TurnStatus",
    "default_history_path",
    "export_json",
    "export_markdown",
    "import_json",
    "summarise",
]
