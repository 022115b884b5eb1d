"""Screening form validation, urgency that never goes down, and the after-screening messages."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import settings
from bot.actions.screening import (
    ActionAfterScreening,
    ActionAnswerCheck,
    ActionCheckRedFlag,
    ValidateScreeningForm,
    ValidateSlotMappings,
    screening_flags,
)
from bot.content import load_red_flags

FLAGS = {f.id: f for f in load_red_flags()}
DOMAIN = yaml.safe_load((settings.ROOT / "domain.yml").read_text())


def make_tracker(slots: dict[str, Any], events: list[dict[str, Any]] | None = None,
                 intent: str = "affirm", requested: str | None = None) -> Tracker:
    all_slots = {"condition": None, "urgency": "none", "red_flag": None, "requested_slot": requested}
    all_slots.update(slots)
    return Tracker(
        sender_id="test",
        slots=all_slots,
        latest_message={"intent": {"name": intent, "confidence": 1.0}, "entities": [], "text": "ja"},
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": "screening_form"},
        latest_action_name="action_listen",
    )


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def answer(flag_id: str, value: str, condition: str, urgency: str = "none") -> tuple[list, CollectingDispatcher]:
    """Simulate the patient's answer to one screening question, as Rasa sends it to the form validation."""
    slot = f"rf_{flag_id}"
    events = [{"event": "user", "text": "x"}, {"event": "slot", "name": slot, "value": value}]
    tracker = make_tracker({"condition": condition, "urgency": urgency, slot: value}, events, requested=slot)
    dispatcher = CollectingDispatcher()
    out = run(ValidateScreeningForm().run(dispatcher, tracker, DOMAIN))
    return out, dispatcher


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize("condition", ["neck", "radiculopathy"])
def test_each_condition_has_a_short_screening(condition: str) -> None:
    flags = screening_flags(condition)
    assert 3 <= len(flags) <= 6
    assert all(f.question and f.question.rstrip().endswith("?") for f in flags)
    assert any(f.tier == "emergency" for f in flags)


def test_required_slots_follow_the_condition() -> None:
    tracker = make_tracker({"condition": "radiculopathy"})
    slots = run(ValidateScreeningForm().required_slots([], CollectingDispatcher(), tracker, {}))
    assert slots == [f"rf_{f.id}" for f in screening_flags("radiculopathy")]
    assert "rf_ces_sphincter" in slots and "rf_neck_trauma" not in slots


@pytest.mark.parametrize("flag_id", [f.id for f in load_red_flags() if f.question and f.tier == "emergency"])
def test_yes_to_an_emergency_question_escalates_and_stops_screening(flag_id: str) -> None:
    condition = FLAGS[flag_id].conditions[0]
    events, dispatcher = answer(flag_id, "yes", condition)
    slots = slot_events(events)
    assert slots["urgency"] == "emergency"
    assert slots["red_flag"] == flag_id
    assert slots.get("requested_slot", "missing") is None  # the form ends: no reassurance questions follow
    assert [m["response"] for m in dispatcher.messages] == ["utter_escalate_emergency"]


def test_unsure_about_an_emergency_sign_means_a_doctor_today() -> None:
    events, dispatcher = answer("ces_saddle", "unsure", "radiculopathy")
    assert slot_events(events)["urgency"] == "same_day"
    assert dispatcher.messages[0]["response"] == "utter_escalate_same_day"


def test_no_asks_the_next_question_without_escalating() -> None:
    first = screening_flags("neck")[0]
    events, dispatcher = answer(first.id, "no", "neck")
    slots = slot_events(events)
    assert "urgency" not in slots
    assert dispatcher.messages == []
    assert slots["requested_slot"] == f"rf_{screening_flags('neck')[1].id}"


def test_yes_to_a_soon_question_escalates_but_screening_continues() -> None:
    events, dispatcher = answer("neck_soon", "yes", "neck")
    slots = slot_events(events)
    assert slots["urgency"] == "soon"
    assert dispatcher.messages[0]["response"] == "utter_escalate_soon"
    assert slots["requested_slot"] is not None


def test_soon_answer_never_lowers_an_earlier_emergency() -> None:
    events, _ = answer("radic_soon", "yes", "radiculopathy", urgency="emergency")
    assert slot_events(events)["urgency"] == "emergency"


@pytest.mark.parametrize(("before", "new", "expected"), [
    ("emergency", "soon", "emergency"),
    ("same_day", "soon", "same_day"),
    ("soon", "emergency", "emergency"),
    ("none", "same_day", "same_day"),
])
def test_urgency_slot_never_goes_down(before: str, new: str, expected: str) -> None:
    events = [{"event": "slot", "name": "urgency", "value": before}, {"event": "user", "text": "x"},
              {"event": "slot", "name": "urgency", "value": new}]
    tracker = make_tracker({"urgency": new}, events)
    result = run(ValidateSlotMappings().validate_urgency(new, CollectingDispatcher(), tracker, {}))
    assert result == {"urgency": expected}


def responses_after_screening(condition: str, urgency: str, events: list | None = None) -> list[str]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"condition": condition, "urgency": urgency}, events or [])
    run(ActionAfterScreening().run(dispatcher, tracker, {}))
    return [m["response"] for m in dispatcher.messages]


@pytest.mark.parametrize("condition", ["neck", "radiculopathy"])
def test_clear_screening_gives_three_reassuring_messages(condition: str, content_library: Any) -> None:
    responses = responses_after_screening(condition, "none")
    reassurance = [m.response for m in content_library.sequence("reassurance", condition)]
    assert len(reassurance) == 3
    assert responses == ["utter_screening_clear", *reassurance, "utter_offer_questions"]


def test_after_soon_escalation_no_claim_that_it_is_harmless(content_library: Any) -> None:
    responses = responses_after_screening("neck", "soon")
    blocked = {m.response for m in content_library.sequence("reassurance", "neck") if m.blocked_from == "soon"}
    assert blocked, "neck reassurance that the pain is not serious must be withheld at urgency soon"
    assert not blocked & set(responses)
    assert "utter_screening_clear" not in responses


def test_after_emergency_only_the_reminder() -> None:
    assert responses_after_screening("neck", "emergency") == ["utter_reminder_emergency"]


def test_no_reminder_right_after_the_escalation_itself() -> None:
    events = [{"event": "user", "text": "ja"},
              {"event": "bot", "text": "Ring 112 nu.", "metadata": {"urgency": "emergency"}}]
    assert responses_after_screening("radiculopathy", "emergency", events) == []


def test_red_flag_slot_prefers_the_flag_of_the_patients_condition() -> None:
    tracker = Tracker("t", {"condition": "radiculopathy", "red_flag": "neck_bladder", "urgency": "emergency"},
                      {"intent": {"name": "red_flag_emergency"}, "entities": [],
                       "text": "jeg kan ikke mærke når jeg tisser"}, [], False, None, None, "action_listen")
    result = run(ValidateSlotMappings().validate_red_flag("neck_bladder", CollectingDispatcher(), tracker, {}))
    assert result == {"red_flag": "ces_sphincter"}


# ---------------------------------------------------------------- check questions (topic without a sign)


def check_tracker(text: str, intent: str, slots: dict[str, Any]) -> Tracker:
    tracker = make_tracker(slots, [{"event": "user", "text": text}], intent=intent)
    tracker.latest_message["text"] = text
    tracker.active_loop = {}
    return tracker


def test_a_topic_without_a_sign_gets_that_flags_question_for_the_patients_condition() -> None:
    dispatcher = CollectingDispatcher()
    tracker = check_tracker("jeg tisser lidt tit om natten", "red_flag_check", {"condition": "radiculopathy"})
    events = run(ActionCheckRedFlag().run(dispatcher, tracker, DOMAIN))
    assert [m["response"] for m in dispatcher.messages] == ["utter_check_intro", "utter_ask_rf_ces_sphincter"]
    assert slot_events(events) == {"red_flag_check": "ces_sphincter"}
    dispatcher = CollectingDispatcher()
    tracker = check_tracker("jeg tisser lidt tit om natten", "red_flag_check", {"condition": "neck"})
    run(ActionCheckRedFlag().run(dispatcher, tracker, DOMAIN))
    assert dispatcher.messages[-1]["response"] == "utter_ask_rf_neck_bladder"


def test_no_check_question_after_an_emergency_only_the_reminder() -> None:
    dispatcher = CollectingDispatcher()
    tracker = check_tracker("jeg tisser lidt tit", "red_flag_check", {"urgency": "emergency"})
    assert run(ActionCheckRedFlag().run(dispatcher, tracker, DOMAIN)) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_reminder_emergency"]


@pytest.mark.parametrize(("intent", "tier"), [("affirm", "emergency"), ("unsure", "same_day")])
def test_yes_or_unsure_to_a_check_question_escalates_like_the_screening(intent: str, tier: str) -> None:
    dispatcher = CollectingDispatcher()
    tracker = check_tracker("ja", intent, {"condition": "radiculopathy", "red_flag_check": "ces_saddle"})
    slots = slot_events(run(ActionAnswerCheck().run(dispatcher, tracker, DOMAIN)))
    assert slots["urgency"] == tier and slots["red_flag"] == "ces_saddle" and slots["red_flag_check"] is None
    assert dispatcher.messages[0]["response"] == f"utter_escalate_{tier}"


def test_no_to_a_check_question_is_noted_and_nothing_escalates() -> None:
    dispatcher = CollectingDispatcher()
    tracker = check_tracker("nej", "deny", {"condition": "radiculopathy", "red_flag_check": "ces_saddle"})
    slots = slot_events(run(ActionAnswerCheck().run(dispatcher, tracker, DOMAIN)))
    assert slots == {"red_flag_check": None, "rf_ces_saddle": "no"}
    assert [m["response"] for m in dispatcher.messages] == ["utter_check_clear"]


def test_a_check_answer_never_lowers_an_earlier_urgency() -> None:
    dispatcher = CollectingDispatcher()
    tracker = check_tracker("ved ikke", "unsure", {"urgency": "emergency", "red_flag_check": "ces_saddle"})
    assert slot_events(run(ActionAnswerCheck().run(dispatcher, tracker, DOMAIN)))["urgency"] == "emergency"
