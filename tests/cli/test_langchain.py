"""A LangChain chat model's `.stream()` is a backend's whole body: no glue code.

The model is langchain_core's own GenericFakeChatModel, which splits its scripted answer
into chunks the way a real streaming model does, and receives OpenAI-style dicts as they
are.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessageChunk

from tests.app.helpers import make_app
from tests.cli.outputs import Recording
from tui.backends.registry import load
from tui.history import TurnStatus
from tui.print_mode import print_answer
from tui.widgets.chat.chat_message import ChatMessage
from tui.widgets.chat.prompt_input import PromptInput
from tui.widgets.transcript import MarkdownLines

SCRIPT = "LangChain streams\nthrough **inkstream** with no glue at all."
MESSAGES = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Does LangChain work?"},
]


def test_the_fake_model_really_streams_chunks_from_dict_messages() -> None:
    """What the tests below rely on: several AIMessageChunks, whose text is the script."""
    model = GenericFakeChatModel(messages=iter([SCRIPT]))
    chunks = list(model.stream(MESSAGES))
    assert len(chunks) > 3
    assert all(isinstance(chunk, AIMessageChunk) for chunk in chunks)
    assert "".join(str(chunk.content) for chunk in chunks) == SCRIPT


async def test_model_stream_prints_through_print_mode() -> None:
    model = GenericFakeChatModel(messages=iter([SCRIPT]))

    def backend(messages: list[dict[str, str]]) -> object:
        return model.stream(messages)

    out, err = Recording(), io.StringIO()
    assert await print_answer(backend, MESSAGES, out=out, err=err) == 0
    assert err.getvalue() == ""
    assert out.getvalue() == SCRIPT + "\n"
    assert len(out.writes) > 3, "chunks are written one by one, not as one string"


async def test_model_astream_prints_through_print_mode() -> None:
    model = GenericFakeChatModel(messages=iter([SCRIPT]))

    def backend(messages: list[dict[str, str]]) -> object:
        return model.astream(messages)

    out, err = io.StringIO(), io.StringIO()
    assert await print_answer(backend, MESSAGES, out=out, err=err) == 0
    assert out.getvalue() == SCRIPT + "\n"


BACKEND_FILE = f"""\
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

model = GenericFakeChatModel(messages=iter([{SCRIPT!r}]))


def backend(messages):
    \"\"\"A LangChain model, streamed as it is.\"\"\"
    return model.stream(messages)
"""


async def test_a_langchain_file_backend_loaded_by_spec(tmp_path: Path) -> None:
    """`--backend ./lc_bot.py:backend`, as a user would write it."""
    path = tmp_path / "lc_bot.py"
    path.write_text(BACKEND_FILE, encoding="utf-8")
    try:
        backend = load(f"{path}:backend")
        out, err = io.StringIO(), io.StringIO()
        assert await print_answer(backend, MESSAGES, out=out, err=err) == 0
        assert out.getvalue() == SCRIPT + "\n"
    finally:
        for name, module in list(sys.modules.items()):
            if getattr(module, "__file__", None) == str(path):
                del sys.modules[name]


@pytest.mark.parametrize("method", ["stream", "astream"])
async def test_model_stream_streams_into_the_chat_app(method: str) -> None:
    model = GenericFakeChatModel(messages=iter([SCRIPT]))
    received: list[list[dict[str, str]]] = []

    def backend(messages: list[dict[str, str]]) -> object:
        received.append(messages)
        return getattr(model, method)(messages)

    app = make_app(backend)
    async with app.run_test() as pilot:
        app.query_one(PromptInput).insert("Does LangChain work?")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (turn,) = app.conversation.turns
        assert turn.status is TurnStatus.FINISHED, turn.error
        assert turn.response == SCRIPT
        answer = app.query(ChatMessage).filter(".-assistant").first()
        assert answer.query_one(MarkdownLines).source == SCRIPT
    assert received[0][-1] == {"role": "user", "content": "Does LangChain work?"}
