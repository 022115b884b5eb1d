"""Emergency escalation must not depend on the action server (Rasa rules + NLG only)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.launcher import Stack
from tests.conftest import Chat, own_stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack_without_actions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(tmp_path_factory.mktemp("noactions")) as stack:
        stack.stop_process("actions")  # killed: every custom action call now fails
        yield stack


@pytest.mark.parametrize("message", [
    "jeg kan pludselig ikke holde på vandet",
    "mine ben er begge blevet svage og jeg snubler",
    "feber og helt stiv nakke og lyset gør ondt i øjnene",
    # no pattern knows this wording: the learned safety net, inside Rasa too
    "Min tissetrang er helt væk i dag og blæren føles fuld og tung, har iskias",
])
def test_red_flag_gets_112_with_the_action_server_down(stack_without_actions: Stack, message: str) -> None:
    chat = Chat(stack_without_actions)
    replies = chat.say(message)
    assert replies, "the patient must get the escalation even with the action server down"
    first = replies[0]["text"]
    assert "112" in re.split(r"(?<=[.!?])\s", first.strip(), maxsplit=1)[0]
    assert chat.tracker()["slots"]["urgency"] == "emergency"
