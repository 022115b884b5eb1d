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


def test_red_flag_typed_during_the_screening_gets_112_when_the_action_server_dies_mid_form(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The screening form validates every answer on the action server; with it gone the form's turn is
    rejected, so the rule for a red flag during the screening still escalates (before, the form stayed
    active and the patient got only the apology)."""
    with own_stack(tmp_path_factory.mktemp("midform")) as stack:
        chat = Chat(stack)
        chat.say("hej")
        asked = chat.say("Lænden med smerter ned i benet")
        assert any("?" in m.get("text", "") for m in asked), "the screening did not start"
        stack.stop_process("actions")
        replies = chat.say("jeg kan ikke mærke når jeg tisser")
        assert replies, "the patient must get the escalation even with the action server down"
        first = replies[0]["text"]
        assert "112" in re.split(r"(?<=[.!?])\s", first.strip(), maxsplit=1)[0], first
        tracker = chat.tracker()
        assert tracker["slots"]["urgency"] == "emergency"
        assert not (tracker.get("active_loop") or {}).get("name"), "the screening must stop after 112"
