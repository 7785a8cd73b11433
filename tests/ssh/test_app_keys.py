"""The keys the start screen advertises do what it says over a real SSH login, with the
bytes a terminal sends: Ctrl+J a new line, Enter sends, Esc stops, Ctrl+N a new chat."""

from __future__ import annotations

from tests.ssh.server_process import SSHServer, UserKeys
from tests.ssh.terminal import open_terminal

PROMPT_BOX = "Message inkstream"


async def test_ctrl_j_enter_esc_and_ctrl_n_over_ssh(server: SSHServer, keys: UserKeys) -> None:
    conn, term = await open_terminal(server.port, keys.alice, size=(100, 36))
    async with conn:
        screen = await term.wait_for(PROMPT_BOX)
        assert "Ctrl+J starts a new line" in " ".join(screen.split())
        term.type("line one\nline two\r")  # Ctrl+J is a line feed, Enter a carriage return
        await term.wait_for('"prompt": "line one\\nline two"', "in the history.")
        # Enter is taken only once the first turn has ended: its speed leaves the footer.
        await term.wait_until(lambda text: "chars/s" not in text, "the first turn ended")
        term.type("another long answer please\r")
        await term.wait_for("You said: another long answer please")  # its answer has begun
        term.type("\x1b")  # Esc
        await term.wait_for("■ stopped")
        term.type("\x0e")  # Ctrl+N
        await term.wait_until(lambda text: "line one" not in text, "a new chat")
