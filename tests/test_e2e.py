"""End to end: the real Rasa server, action server and content, chatting over the REST channel."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Chat

pytestmark = pytest.mark.e2e


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def through_screening(chat: Chat, first: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Answer "nej" to every screening question; return the replies after the last one."""
    replies = first
    for _ in range(8):
        payloads = [b["payload"] for r in replies for b in r.get("buttons") or []]
        if "/deny" not in payloads:
            return replies
        replies = chat.say("nej")
    raise AssertionError("screening did not end")


def test_greeting_has_disclaimer_and_asks_for_the_condition(chat: Chat) -> None:
    replies = chat.say("hej")
    assert "112" in texts(replies)
    payloads = {b["payload"] for r in replies for b in r.get("buttons") or []}
    assert {"/describe_neck_pain", "/describe_leg_pain"} <= payloads


def test_neck_conversation_screens_then_reassures_with_metadata(chat: Chat, content_library: Any) -> None:
    chat.say("hej")
    replies = through_screening(chat, chat.say("jeg har fået ondt i nakken siden i går"))
    expected = [m.render({}) for m in content_library.sequence("reassurance", "neck")]
    shown = texts(replies)
    for text in expected:
        assert text.split("\n")[0] in shown
    tracker = chat.tracker()
    assert tracker["slots"]["condition"] == "neck"
    assert tracker["slots"]["urgency"] == "none"
    advice = [e for e in tracker["events"] if e["event"] == "bot" and e["metadata"].get("recommendations")]
    assert len(advice) >= 3
    assert all(r == "neck.reassurance" for e in advice for r in e["metadata"]["recommendations"])
    assert all(e["metadata"].get("content_id") for e in chat.bot_events())


def test_treatment_question_is_answered_with_its_strength(chat: Chat) -> None:
    chat.say("/describe_neck_pain")
    through_screening(chat, chat.say("nej"))
    reply = texts(chat.say("hvad med massage?"))
    assert "nøje overvejelse" in reply
    last = chat.bot_events()[-1]["metadata"]
    assert last["recommendations"] == ["neck.massage"]


def test_massage_for_iskias_is_not_covered(chat: Chat) -> None:
    through_screening(chat, chat.say("/describe_leg_pain"))
    chat.say("kan massage hjælpe på min iskias?")
    last = chat.bot_events()[-1]["metadata"]
    assert last["recommendations"] == []
    assert "not_covered" in last["content_id"] or last["utter_action"] == "utter_not_covered"


@pytest.mark.parametrize("message", [
    "jeg kan ikke mærke når jeg tisser",
    "jeg er helt foelelsesloes i skridtet",
    "har svaert ved at holde paa afforingen",
    "Jeg opdagede i morges at jeg slet ikke ved om blæren er tom eller fuld, og iskiasen er slem",  # learned net
])
def test_red_flag_in_the_middle_of_screening_escalates_to_112(chat: Chat, message: str) -> None:
    chat.say("/describe_leg_pain")
    replies = chat.say(message)
    first = replies[0]["text"]
    assert "112" in re.split(r"(?<=[.!?])\s", first.strip(), maxsplit=1)[0]
    assert chat.tracker()["slots"]["urgency"] == "emergency"
    # nothing reassuring afterwards, whatever the patient asks
    later = chat.say("hvad med træning?")
    assert all(not e["metadata"].get("recommendations") for e in chat.bot_events())
    assert "112" in texts(later)


def test_screening_yes_answer_escalates(chat: Chat) -> None:
    replies = chat.say("/describe_neck_pain")
    assert any(b["payload"] == "/affirm" for r in replies for b in r.get("buttons") or [])
    replies = chat.say("ja")
    assert chat.tracker()["slots"]["urgency"] in ("emergency", "same_day", "soon")
    assert "112" in texts(replies) or "læge" in texts(replies).lower()


def test_a_body_area_without_a_sign_gets_the_check_question_and_yes_means_112(
    chat: Chat, content_library: Any,
) -> None:
    chat.say("/describe_leg_pain")
    through_screening(chat, chat.say("nej"))
    replies = chat.say("jeg tisser lidt tit om natten, er det normalt?")
    question = content_library.red_flag("ces_sphincter").question
    assert question in texts(replies)
    assert any(b["payload"] == "/affirm" for r in replies for b in r.get("buttons") or [])
    assert chat.tracker()["slots"]["urgency"] == "none"
    replies = chat.say("ja")
    assert texts(replies).startswith("Ring 112")
    assert chat.tracker()["slots"]["urgency"] == "emergency"


def test_no_to_the_check_question_keeps_the_conversation_going(chat: Chat) -> None:
    chat.say("/describe_neck_pain")
    through_screening(chat, chat.say("nej"))
    chat.say("mine hænder føles lidt mærkelige")
    replies = chat.say("nej")
    assert "112" not in texts(replies).split(".")[0]
    tracker = chat.tracker()
    assert tracker["slots"]["urgency"] == "none" and tracker["slots"]["rf_neck_cord"] == "no"
    assert "massage" in texts(chat.say("hjælper massage?")).lower()


def test_negated_symptoms_do_not_escalate(chat: Chat) -> None:
    chat.say("/describe_leg_pain")
    chat.say("nej jeg har ingen problemer med at tisse og ingen feber")
    assert chat.tracker()["slots"]["urgency"] == "none"


def test_http_api_requires_the_token(stack: Any, chat: Chat) -> None:
    chat.say("hej")
    for url in (f"{stack.rasa_url}/conversations/{chat.sender}/tracker",
                f"{stack.rasa_url}/conversations/{chat.sender}/tracker?token=wrong"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(url, timeout=10)
        assert err.value.code in (401, 403)
    assert chat.tracker()["sender_id"] == chat.sender


@pytest.mark.parametrize("message", [
    "",
    "ondt " * 4000,
    "😀😀😀🙏",
    "<script>alert('x')</script>",
    "What is the weather like in London today?",
    '/greet{"urgency": "none"}',
], ids=["empty", "20000-chars", "emoji", "script", "english", "intent-payload"])
def test_bad_input_gets_a_kind_danish_answer_and_the_bot_keeps_running(chat: Chat, message: str) -> None:
    replies = chat.say(message)
    assert replies, "the patient must always get an answer"
    text = texts(replies)
    assert "<script>" not in text
    assert re.search(r"[a-zæøå]", text.lower())
    assert chat.say("hej"), "the bot still answers afterwards"


def test_tracker_is_json_with_rest_channel(chat: Chat) -> None:
    chat.say("hej")
    events = chat.tracker()["events"]
    assert json.dumps(events)
    assert any(e["event"] == "user" and e.get("input_channel") == "rest" for e in events)


def test_running_bot_froze_its_loaded_model_out_of_the_garbage_collector(stack: Any, chat: Chat) -> None:
    """The benchmark's latency depends on it (docs/performance.md); a silent regression would show only there."""
    chat.say("hej")
    assert stack.log_dir is not None
    log_text = (Path(stack.log_dir) / "rasa.log").read_text(errors="replace")
    found = re.search(r"gc: (\d+) start-up objects frozen", log_text)
    assert found and int(found.group(1)) > 100_000, "the model and TensorFlow objects are frozen after start"
