"""What a user does with an answer's lines: click a link, select and copy text."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tests.screen import screen_lines
from tui.widgets.transcript import MarkdownLines


class LinkApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []
        self.clicked: list[str] = []

    def compose(self) -> ComposeResult:
        yield MarkdownLines("Some text with [a link](https://example.com/x?q=1) in it.")

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened.append(url)  # no browser in a test

    def on_markdown_lines_link_clicked(self, message: MarkdownLines.LinkClicked) -> None:
        self.clicked.append(message.href)


async def test_clicking_a_link_opens_it_and_says_so() -> None:
    app = LinkApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        column = screen_lines(app)[0].index("a link")
        await pilot.click(MarkdownLines, offset=(column + 2, 0))
        await pilot.pause()
        assert app.opened == ["https://example.com/x?q=1"]
        assert app.clicked == ["https://example.com/x?q=1"]


async def test_clicking_plain_text_opens_nothing() -> None:
    app = LinkApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        await pilot.click(MarkdownLines, offset=(1, 0))
        await pilot.pause()
        assert app.opened == []


async def test_selecting_lines_with_the_mouse_copies_their_text() -> None:
    text = "# Title\n\nfirst paragraph here\n\n- an item\n"
    app = App[None]()
    async with app.run_test(size=(60, 12)) as pilot:
        await app.mount(MarkdownLines(text))
        await pilot.pause()
        lines = screen_lines(app)
        top = next(y for y, line in enumerate(lines) if "first paragraph" in line)
        await pilot.mouse_down(MarkdownLines, offset=(0, top))
        await pilot.hover(MarkdownLines, offset=(9, top + 2))
        await pilot.mouse_up(MarkdownLines, offset=(9, top + 2))
        await pilot.pause()
        selected = app.screen.get_selected_text()
        assert selected is not None
        assert selected.startswith("first paragraph here")
        assert "• an item" in selected
