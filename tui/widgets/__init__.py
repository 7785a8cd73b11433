"""Textual widgets: the chat, its messages, and the tables and views they show."""
