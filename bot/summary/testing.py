"""Builders for hand-made trackers: the Rasa JSON events the bot would store (tests, docs, debugging).

`bot_event` follows the NLG's metadata contract (docs/architecture.md, "Bot message metadata"), so a
test can state a conversation as "the patient was told these content units" and then break one field.
"""

from __future__ import annotations

from typing import Any

from bot.content import Library

BASE_TIME = 1_767_268_800.0  # 2026-01-01 12:00 UTC: midday, so the local date is the same everywhere


def user_event(text: str = "x", intent: str = "greet", at: float = BASE_TIME) -> dict[str, Any]:
    return {"event": "user", "text": text, "timestamp": at,
            "parse_data": {"intent": {"name": intent, "confidence": 1.0}, "entities": []}}


def slot_event(name: str, value: Any, at: float = BASE_TIME) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value, "timestamp": at}


def bot_event(lib: Library, content_id: str, *, response: str | None = None, text: str | None = None,
              at: float = BASE_TIME, custom: dict[str, Any] | None = None, **metadata: Any) -> dict[str, Any]:
    """The bot event for one content message; keyword arguments override metadata fields."""
    message = lib.messages[content_id]
    recs = list(message.recommendations)
    meta: dict[str, Any] = {
        "content_id": message.id,
        "kind": message.kind,
        "condition": message.condition,
        "recommendations": recs,
        "strengths": [lib.recommendation(r).strength for r in recs],
        "guideline_versions": {
            lib.recommendation(r).guideline: lib.guidelines[lib.recommendation(r).guideline].version
            for r in recs
        },
        "content_version": lib.version,
        "utter_action": response or message.response,
    }
    if message.response.startswith("utter_escalate_"):
        meta["urgency"] = message.response.removeprefix("utter_escalate_")
    meta.update(metadata)
    return {
        "event": "bot",
        "text": message.render({}) if text is None else text,
        "timestamp": at,
        "data": {"buttons": None, "custom": custom},
        "metadata": meta,
    }
