"""In-process NLG: every bot message is rendered from the Markdown files in `content/`.

Editors change the words without retraining or restarting: the library is reloaded
when a content file changes, and a version that fails validation is not used (the
last good one keeps serving, the error is logged). Safety rules are applied here, in
the Rasa process, so they hold even when the action server is down:
- after an escalation (urgency at a message's `blocked_from` tier or above) advice is
  replaced by the escalation reminder, never given;
- a question about something the patient's guideline does not cover gets
  `utter_not_covered` (resolution in `bot.content`), never the other guideline's advice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker

from bot.content import TIER_RANK, Library, Message
from bot.content.store import ContentStore

log = logging.getLogger(__name__)

NOT_CURRENT_NOTICE = "utter_guideline_not_current"
PASS_THROUGH_CUSTOM = ("summary_markdown", "filename")


def flag_for_condition(lib: Library, flag_id: str | None, tracker: DialogueStateTracker,
                       condition: str | None) -> str | None:
    """The detected flag written for the patient's own condition.

    The NLU component cannot see the `condition` slot, so when two flags share patterns (bladder
    signs are a neck and an iskias flag) it picks the first; here we re-detect with the condition.
    """
    if not flag_id or not condition:
        return flag_id
    try:
        if condition in lib.red_flag(flag_id).conditions:
            return flag_id
    except KeyError:
        return flag_id
    from bot.safety.detector import detect, most_urgent

    text = (tracker.latest_message.text if tracker.latest_message else "") or ""
    best = most_urgent(detect(text), condition)
    return best.flag_id if best and condition in best.conditions else flag_id


def effective_urgency(events: Iterable[Any], current: str | None = None) -> str:
    """Highest urgency set in this conversation: it never goes down, even if a slot did."""
    best = current if current in TIER_RANK else "none"
    for event in events:
        name = getattr(event, "key", None) if not isinstance(event, dict) else event.get("name")
        value = getattr(event, "value", None) if not isinstance(event, dict) else event.get("value")
        if name == "urgency" and value in TIER_RANK and TIER_RANK[value] > TIER_RANK[best]:
            best = value
    return best


def last_advice_recommendations(tracker: DialogueStateTracker) -> list[str]:
    """Recommendation ids of the most recent advice message (for "hvor kommer rådet fra?")."""
    for event in reversed(tracker.events):
        metadata = getattr(event, "metadata", None) or {}
        if getattr(event, "type_name", "") == "bot" and metadata.get("recommendations"):
            return list(metadata["recommendations"])
    return []


def notice_already_given(tracker: DialogueStateTracker, notice: str) -> bool:
    return any(
        getattr(e, "type_name", "") == "bot" and notice in ((getattr(e, "metadata", None) or {}).get("notices") or [])
        for e in tracker.events
    )


class ContentNLG(NaturalLanguageGenerator):
    """Renders responses from content files and adds content id + recommendations to metadata."""

    def __init__(self, endpoint_config: Any = None, domain: Any = None, content_dir: Path | None = None) -> None:
        self.store = ContentStore(content_dir)

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        lib = self.store.get()
        try:
            return render(lib, utter_action, tracker, kwargs)
        except KeyError:
            log.warning("no content for response %s", utter_action)
            return None


def _slots(tracker: DialogueStateTracker, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    slots = dict(tracker.current_slot_values())
    slots.update({k: v for k, v in kwargs.items() if k != "domain_responses" and isinstance(v, str | int | float)})
    return slots


def render(lib: Library, response: str, tracker: DialogueStateTracker, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The message dict Rasa sends; extra keys end up in the bot event's metadata."""
    slots = _slots(tracker, kwargs)
    condition = slots.get("condition")
    urgency = effective_urgency(tracker.events, kwargs.get("urgency") or slots.get("urgency"))

    message = lib.resolve(response, condition)
    if message.blocked_from and TIER_RANK[urgency] >= TIER_RANK[message.blocked_from]:
        log.info("withholding %s after urgency %s", message.id, urgency)
        if urgency in ("emergency", "same_day"):
            message = lib.resolve(f"utter_reminder_{urgency}", condition)
        else:
            return _withheld(lib, message, urgency, condition, slots)

    flag_id = kwargs.get("red_flag") or slots.get("red_flag")
    if response.startswith("utter_escalate_") or response.startswith("utter_reminder_"):
        flag_id = flag_for_condition(lib, flag_id, tracker, condition)
        try:
            slots["red_flag_reason"] = lib.red_flag(flag_id).reason if flag_id else ""
        except KeyError:
            slots["red_flag_reason"] = ""
    if response == "utter_source":
        recommendation_ids = last_advice_recommendations(tracker)
        if not recommendation_ids:  # nothing to cite yet: say what the patient can ask about instead
            message = lib.resolve("utter_offer_questions", condition)
        slots.update(_source_fields(lib, recommendation_ids))

    output = _as_output(message, lib, slots)
    if response.startswith("utter_escalate_"):
        output["urgency"] = response.removeprefix("utter_escalate_")
        output["red_flag"] = flag_id
    if kwargs.get("recommendations") and not message.recommendations:
        output["recommendations"] = list(kwargs["recommendations"])
        output["strengths"] = [lib.recommendation(r).strength for r in output["recommendations"]]
        output["guideline_versions"] = _guideline_versions(lib, output["recommendations"])
    custom = {k: kwargs[k] for k in PASS_THROUGH_CUSTOM if kwargs.get(k)}
    if message.response in ("utter_escalate_emergency", "utter_reminder_emergency"):
        custom["urgency"] = "emergency"  # lets the widget style it as an emergency without parsing text
    if custom:
        output["custom"] = custom
    _add_not_current_notice(lib, message, tracker, output, slots)
    return output


def _withheld(lib: Library, message: Message, urgency: str, condition: str | None,
              slots: Mapping[str, Any]) -> dict[str, Any]:
    """At urgency `soon` reassurance that the pain is harmless is not given; say what to do instead."""
    reminder = lib.resolve("utter_escalate_soon", condition)
    output = _as_output(reminder, lib, {**slots, "red_flag_reason": ""})
    output["withheld"] = message.id
    return output


def _as_output(message: Message, lib: Library, slots: Mapping[str, Any]) -> dict[str, Any]:
    recommendations = list(message.recommendations)
    return {
        "text": message.render(slots),
        "buttons": [dict(b) for b in message.buttons],
        "content_id": message.id,
        "kind": message.kind,
        "condition": message.condition,
        "recommendations": recommendations,
        "strengths": [lib.recommendation(r).strength for r in recommendations],
        "guideline_versions": _guideline_versions(lib, recommendations),
        "content_version": lib.version,
    }


def _guideline_versions(lib: Library, recommendation_ids: list[str]) -> dict[str, str]:
    """Which version of each guideline the advice came from (the summary must cite the same)."""
    guidelines = {lib.recommendation(r).guideline for r in recommendation_ids}
    return {g: lib.guidelines[g].version for g in sorted(guidelines)}


def _source_fields(lib: Library, recommendation_ids: list[str]) -> dict[str, str]:
    if not recommendation_ids:
        return {}
    fields = [lib.source_fields(r) for r in recommendation_ids]
    merged: dict[str, str] = {}
    for key in fields[0]:
        values = list(dict.fromkeys(f[key] for f in fields if f.get(key)))
        merged[key] = "; ".join(values)
    return merged


def _add_not_current_notice(lib: Library, message: Message, tracker: DialogueStateTracker,
                            output: dict[str, Any], slots: Mapping[str, Any]) -> None:
    """Say once per conversation that a guideline behind the advice is marked not current.

    An action sending several advice messages in one turn passes `skip_notices` for all but the
    first, because the tracker does not hold the earlier ones yet.
    """
    if slots.get("skip_notices"):
        return
    for guideline in {lib.recommendation(r).guideline for r in message.recommendations}:
        if lib.guidelines[guideline].status == "current":
            continue
        notice_id = f"{guideline}_not_current"
        if notice_already_given(tracker, notice_id):
            continue
        try:
            notice = lib.resolve(NOT_CURRENT_NOTICE, guideline)
        except KeyError:
            continue
        output["text"] = f"{output['text']}\n\n{notice.render(slots)}"
        output.setdefault("notices", []).append(notice_id)
