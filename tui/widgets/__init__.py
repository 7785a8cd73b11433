"""Textual widgets, in two parts: `chat/` (what the user sees and types into: the log,
messages, prompt, session list) and `transcript/` (what streams: one message's body, its
Markdown painted as lines, its tables and the `st.write` table that builds them)."""
