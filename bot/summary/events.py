"""Replay of a tracker's JSON events into what was delivered, and in which state.

Summary and consistency check both need the same facts (which content unit was said, under which
condition and urgency); computing them once here keeps the two from disagreeing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.content import TIER_RANK

SUMMARY_RESPONSE = "utter_summary"
SUMMARY_CUSTOM_KEYS = ("summary_markdown", "filename")
SESSION_BOUNDARIES = ("restart", "session_started")
ADVICE_KIND = "advice"
SAFETY_KIND = "safety"
TREATMENT_PREFIX = "utter_treatment_"


def max_tier(*tiers: str | None) -> str:
    """The most urgent of the given tiers ("none" when none is valid)."""
    valid = [t for t in tiers if t in TIER_RANK]
    return max(valid, key=TIER_RANK.__getitem__, default="none")


@dataclass(frozen=True)
class Delivered:
    """One bot message as the patient saw it, with the state it was said in."""

    index: int  # position in the event list given to `replay` (findings point here)
    text: str
    content_id: str | None
    kind: str | None
    response: str | None  # metadata utter_action
    message_condition: str | None  # the message's own condition (neck | radiculopathy | both)
    recommendations: tuple[str, ...]
    strengths: tuple[str, ...] | None  # None: metadata had no strengths at all
    guideline_versions: Mapping[str, str]
    content_version: str | None
    urgency_meta: str | None  # escalations say which tier they escalate to
    condition: str | None  # the conversation's condition slot when it was said
    urgency: str  # the conversation's highest urgency when it was said
    custom: Mapping[str, Any] = field(default_factory=dict)
    timestamp: float | None = None

    @property
    def is_summary(self) -> bool:
        """A summary repeats earlier messages; it is never a source for the next summary."""
        return self.response == SUMMARY_RESPONSE or "summary_markdown" in self.custom

    @property
    def is_advice(self) -> bool:
        """Advice is what the guideline backs: kind advice, or anything citing a recommendation."""
        if self.kind == SAFETY_KIND:
            return False
        return self.kind == ADVICE_KIND or bool(self.recommendations)

    @property
    def is_treatment(self) -> bool:
        """Answers to "what about <treatment>?" are listed with their strength."""
        if self.response:
            return self.response.startswith(TREATMENT_PREFIX)
        return ".treatment." in (self.content_id or "")

    def strength_of(self, rid: str) -> str | None:
        """Strength the message's metadata gave for a recommendation it cites."""
        if self.strengths is None:
            return None
        for cited, strength in zip(self.recommendations, self.strengths, strict=False):
            if cited == rid:
                return strength
        return None


@dataclass
class Conversation:
    """The replayed conversation: final state plus every delivered message in order."""

    condition: str | None = None
    urgency: str = "none"
    delivered: list[Delivered] = field(default_factory=list)
    # (event index, tier) each time the urgency went up, from a slot or an escalation message
    urgency_raises: list[tuple[int, str]] = field(default_factory=list)
    last_user_timestamp: float | None = None
    last_timestamp: float | None = None

    def sources(self) -> list[Delivered]:
        """Messages a summary may be built from (everything but earlier summaries)."""
        return [d for d in self.delivered if not d.is_summary]


def events_of(tracker: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Events from a tracker dict (Rasa's JSON) or an event list as they are."""
    if isinstance(tracker, Mapping):
        return list(tracker.get("events") or [])
    return list(tracker)


def current_session_start(events: Sequence[Mapping[str, Any]]) -> int:
    """Index after the last restart/session start: older events belong to an earlier conversation."""
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") in SESSION_BOUNDARIES:
            return index + 1
    return 0


def _tuple(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def replay(events: Iterable[Mapping[str, Any]]) -> Conversation:
    """Walk the events in order; indices in the result are positions in `events`."""
    conv = Conversation()
    for index, event in enumerate(events):
        kind = event.get("event")
        timestamp = event.get("timestamp")
        if isinstance(timestamp, int | float):
            conv.last_timestamp = float(timestamp)
        if kind in SESSION_BOUNDARIES:
            conv = Conversation(last_timestamp=conv.last_timestamp)
        elif kind == "user":
            if isinstance(timestamp, int | float):
                conv.last_user_timestamp = float(timestamp)
        elif kind == "slot":
            name, value = event.get("name"), event.get("value")
            if name == "condition":
                conv.condition = value if isinstance(value, str) and value else None
            elif name == "urgency" and TIER_RANK.get(str(value), 0) > TIER_RANK[conv.urgency]:
                conv.urgency = str(value)
                conv.urgency_raises.append((index, conv.urgency))
        elif kind == "reset_slots":
            conv.condition = None  # urgency never goes down, not even on a slot reset
        elif kind == "bot":
            meta = event.get("metadata") or {}
            data = event.get("data") or {}
            strengths = meta.get("strengths")
            urgency_meta = meta.get("urgency") if meta.get("urgency") in TIER_RANK else None
            custom = dict(data.get("custom") or {}) if isinstance(data, Mapping) else {}
            for key in SUMMARY_CUSTOM_KEYS:  # Rasa also copies an action's extra kwargs into metadata
                if key not in custom and isinstance(meta.get(key), str):
                    custom[key] = meta[key]
            if urgency_meta and TIER_RANK[urgency_meta] > TIER_RANK[conv.urgency]:
                conv.urgency = urgency_meta
                conv.urgency_raises.append((index, urgency_meta))
            conv.delivered.append(
                Delivered(
                    index=index,
                    text=str(event.get("text") or ""),
                    content_id=meta.get("content_id"),
                    kind=meta.get("kind"),
                    response=meta.get("utter_action"),
                    message_condition=meta.get("condition"),
                    recommendations=_tuple(meta.get("recommendations")),
                    strengths=None if strengths is None else _tuple(strengths),
                    guideline_versions=dict(meta.get("guideline_versions") or {}),
                    content_version=meta.get("content_version"),
                    urgency_meta=urgency_meta,
                    condition=conv.condition,
                    urgency=conv.urgency,
                    custom=custom,
                    timestamp=float(timestamp) if isinstance(timestamp, int | float) else None,
                )
            )
    return conv
