"""Chat history: the turns of a conversation and their stored form.

`history/` never imports widgets.
"""

from tui.history.turns import Conversation, Turn, TurnStatus, summarise

__all__ = ["Conversation", "Turn", "TurnStatus", "summarise"]
