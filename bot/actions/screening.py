"""Red-flag screening form, urgency that never goes down, and what follows the screening.

The questions come from `content/red_flags.yml` (clinician-editable); each is asked so
that "ja" means the warning sign is present. A "ja" sets `urgency` in the same turn and
the next bot message is the escalation for that tier; emergency and same-day stop the
screening (nothing reassuring follows).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker, ValidationAction
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.content import TIER_RANK, RedFlag
from bot.content.store import current_library

log = logging.getLogger(__name__)
STOPPING_TIERS = ("emergency", "same_day")


def max_tier(*tiers: str | None) -> str:
    """The most urgent of the given tiers ("none" if there are none)."""
    valid = [t for t in tiers if t in TIER_RANK]
    return max(valid, key=TIER_RANK.__getitem__, default="none")


def session_urgency(tracker: Tracker) -> str:
    """Highest urgency set so far in the conversation (events, not only the current slot)."""
    values = [e.get("value") for e in tracker.events if e.get("event") == "slot" and e.get("name") == "urgency"]
    return max_tier(tracker.get_slot("urgency"), *values)


def screening_flags(condition: str | None) -> list[RedFlag]:
    """The screening questions for a condition, in the order the file lists them."""
    return [f for f in current_library().red_flags if f.question and condition in f.conditions]


def answer_tier(flag: RedFlag, value: str | None) -> str | None:
    """The tier an answer to a flag's question gives: "yes" the flag's tier, "unsure" its if_unsure."""
    return flag.tier if value == "yes" else flag.if_unsure if value == "unsure" else None


def escalate(dispatcher: CollectingDispatcher, flag: RedFlag, tier: str, urgency: str) -> list[EventType]:
    """The escalation message for `tier` (naming the flag's reason) and the slots that record it."""
    dispatcher.utter_message(response=f"utter_escalate_{tier}", red_flag=flag.id, urgency=urgency)
    return [SlotSet("urgency", urgency), SlotSet("red_flag", flag.id)]


def escalated_this_turn(tracker: Tracker) -> bool:
    """Whether an escalation was already sent after the latest user message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("urgency"):
            return True
    return False


class ValidateSlotMappings(ValidationAction):
    """Keeps `urgency` from going down when a later message reveals a less urgent flag."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def validate_urgency(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"urgency": max_tier(slot_value, session_urgency(tracker))}

    async def validate_red_flag(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Prefer the flag written for the patient's condition (bladder signs are a neck and an iskias flag)."""
        from bot.safety.detector import detect, most_urgent

        condition = tracker.get_slot("condition")
        try:
            flag = current_library().red_flag(slot_value)
        except KeyError:
            return {"red_flag": slot_value}
        if not condition or condition in flag.conditions:
            return {"red_flag": slot_value}
        best = most_urgent(detect(tracker.latest_message.get("text") or ""), condition)
        if best and best.tier == flag.tier and condition in best.conditions:
            return {"red_flag": best.flag_id}
        return {"red_flag": slot_value}


class ValidateScreeningForm(FormValidationAction):
    """Asks the condition's questions; a "ja" or "ved ikke" escalates right away."""

    def name(self) -> str:
        return "validate_screening_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if session_urgency(tracker) in STOPPING_TIERS:
            return []
        return [f"rf_{flag.id}" for flag in screening_flags(tracker.get_slot("condition"))]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = []
        urgency = session_urgency(tracker)
        for slot_name, value in tracker.slots_to_validate().items():
            if not slot_name.startswith("rf_") or value is None:
                continue
            flag = current_library().red_flag(slot_name.removeprefix("rf_"))
            tier = answer_tier(flag, value)
            events.append(SlotSet(slot_name, value))
            if tier is None:
                continue
            log.info("screening answer escalates: %s=%s -> %s", flag.id, value, tier)
            urgency = max_tier(tier, urgency)
            events += escalate(dispatcher, flag, tier, urgency)
        tracker.add_slots(events)
        return events


class ActionAfterScreening(Action):
    """After a clear screening: the guideline's reassuring messages, then what the patient can ask."""

    def name(self) -> str:
        return "action_after_screening"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        urgency = session_urgency(tracker)
        condition = tracker.get_slot("condition")
        if urgency in STOPPING_TIERS:
            if not escalated_this_turn(tracker):
                dispatcher.utter_message(response=f"utter_reminder_{urgency}")
            return []
        if urgency == "none":
            dispatcher.utter_message(response="utter_screening_clear")
        sent = 0
        for message in current_library().sequence("reassurance", condition):
            if message.blocked_from and TIER_RANK[urgency] >= TIER_RANK[message.blocked_from]:
                continue
            # the guideline-status notice goes with the first advice message only
            dispatcher.utter_message(response=message.response, **({"skip_notices": True} if sent else {}))
            sent += 1
        dispatcher.utter_message(response="utter_offer_questions")
        return []


class ActionCheckRedFlag(Action):
    """A message touched a warning sign's area (a check topic) without a sign the patterns know:
    ask that flag's screening question instead of answering past it ("ja" = the sign is present)."""

    def name(self) -> str:
        return "action_check_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        from bot.safety.detector import detect_with_topics, most_urgent

        urgency = session_urgency(tracker)
        if urgency in STOPPING_TIERS:  # after 112 or a doctor today nothing else is asked
            dispatcher.utter_message(response=f"utter_reminder_{urgency}")
            return []
        condition = tracker.get_slot("condition")
        _, topics = detect_with_topics(tracker.latest_message.get("text") or "")
        topic = most_urgent(topics, condition)
        if topic is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        flag = current_library().red_flag(topic.flag_id)
        log.info("check question asked: %s", flag.id)
        dispatcher.utter_message(response="utter_check_intro")
        dispatcher.utter_message(response=flag.ask_response)
        return [SlotSet("red_flag_check", flag.id)]


class ActionAnswerCheck(Action):
    """The answer to a check question: "ja" escalates at the flag's tier, "ved ikke" at its if_unsure
    tier, exactly as in the screening form; "nej" is noted and the conversation goes on."""

    def name(self) -> str:
        return "action_answer_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        flag_id = tracker.get_slot("red_flag_check")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        value = {"affirm": "yes", "deny": "no", "unsure": "unsure"}.get(str(intent))
        if not flag_id or value is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return [SlotSet("red_flag_check", None)]
        flag = current_library().red_flag(flag_id)
        events: list[EventType] = [SlotSet("red_flag_check", None), SlotSet(flag.slot, value)]
        tier = answer_tier(flag, value)
        if tier is None:
            dispatcher.utter_message(response="utter_check_clear")
            return events
        log.info("check answer escalates: %s=%s -> %s", flag.id, value, tier)
        return [*events, *escalate(dispatcher, flag, tier, max_tier(tier, session_urgency(tracker)))]
