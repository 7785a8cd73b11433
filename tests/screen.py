"""Read what a running app shows, as plain text lines."""

from __future__ import annotations

from typing import Any

from textual.app import App


def screen_lines(app: App[Any]) -> list[str]:
    """Every line of the screen as the terminal would show it, trailing blanks removed."""
    strips = app.screen._compositor.render_strips()
    return [strip.text.rstrip() for strip in strips]


def screen_text(app: App[Any]) -> str:
    """The whole screen as one string, a line per row."""
    return "\n".join(screen_lines(app))
