"""The content NLG: what the patient sees, the metadata clinicians audit, and its safety rules."""

from __future__ import annotations

import asyncio
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import settings
from bot.nlg import ContentNLG

DOMAIN = Domain.load(str(settings.ROOT / "domain.yml"))


def tracker(condition: str | None = None, urgency: str = "none", extra: list | None = None) -> DialogueStateTracker:
    events: list[Any] = [UserUttered("hej", {"name": "greet", "confidence": 1.0})]
    if condition:
        events.append(SlotSet("condition", condition))
    if urgency != "none":
        events.append(SlotSet("urgency", urgency))
    events += extra or []
    return DialogueStateTracker.from_events("t", events, slots=DOMAIN.slots)


def say(response: str, t: DialogueStateTracker, nlg: ContentNLG | None = None, **kwargs: Any) -> dict[str, Any]:
    nlg = nlg or ContentNLG()
    out = asyncio.run(nlg.generate(response, t, "rest", **kwargs))
    assert out is not None
    return out


@pytest.fixture(scope="module")
def nlg() -> ContentNLG:
    return ContentNLG()


def test_advice_message_carries_recommendations_and_content_id(nlg: ContentNLG) -> None:
    out = say("utter_treatment_massage", tracker("neck"), nlg)
    assert out["recommendations"] == ["neck.massage"]
    assert out["strengths"] == ["weak_against"]
    assert out["content_id"]
    assert "nøje overvejelse" in out["text"]


@pytest.mark.parametrize(("response", "condition"), [
    ("utter_treatment_massage", "radiculopathy"),
    ("utter_treatment_painkillers", "radiculopathy"),
    ("utter_treatment_mri", "neck"),
    ("utter_treatment_injection", "neck"),
])
def test_other_guidelines_advice_is_never_borrowed(nlg: ContentNLG, response: str, condition: str) -> None:
    out = say(response, tracker(condition), nlg)
    other = "neck." if condition == "radiculopathy" else "radiculopathy."
    assert not any(r.startswith(other) for r in out["recommendations"])
    assert out["recommendations"] == []
    assert "læge" in out["text"].lower()


def test_treatment_question_before_the_condition_is_known_asks_for_it(nlg: ContentNLG) -> None:
    out = say("utter_treatment_exercise", tracker(None), nlg)
    assert out["recommendations"] == []
    payloads = {b["payload"] for b in out["buttons"]}
    assert {"/describe_neck_pain", "/describe_leg_pain"} <= payloads


@pytest.mark.parametrize("urgency", ["emergency", "same_day"])
def test_no_advice_after_an_escalation(nlg: ContentNLG, urgency: str) -> None:
    out = say("utter_treatment_exercise", tracker("neck", urgency), nlg)
    assert out["recommendations"] == []
    if urgency == "emergency":
        assert "112" in out["text"]


def test_emergency_message_names_112_in_the_first_sentence(nlg: ContentNLG) -> None:
    out = say("utter_escalate_emergency", tracker("radiculopathy", "emergency"), nlg, red_flag="ces_sphincter")
    first_sentence = re.split(r"(?<=[.!?])\s", out["text"].strip(), maxsplit=1)[0]
    assert "112" in first_sentence
    assert out["urgency"] == "emergency"
    assert out["red_flag"] == "ces_sphincter"


def test_escalation_names_the_reason_of_the_flag(nlg: ContentNLG, content_library: Any) -> None:
    reason = content_library.red_flag("ces_saddle").reason
    out = say("utter_escalate_emergency", tracker("radiculopathy", "emergency"), nlg, red_flag="ces_saddle")
    assert reason and reason in out["text"]


def test_screening_question_has_yes_no_unsure_buttons(nlg: ContentNLG, content_library: Any) -> None:
    out = say("utter_ask_rf_ces_sphincter", tracker("radiculopathy"), nlg)
    assert out["text"] == content_library.red_flag("ces_sphincter").question
    assert [b["payload"] for b in out["buttons"]] == ["/affirm", "/deny", "/unsure"]


def test_not_current_guideline_is_mentioned_once(nlg: ContentNLG) -> None:
    first = say("utter_treatment_exercise", tracker("radiculopathy"), nlg)
    assert first["notices"] == ["radiculopathy_not_current"]
    assert "ikke gældende" in first["text"]
    previous = BotUttered(first["text"], metadata={"notices": first["notices"]})
    second = say("utter_treatment_mobilisation", tracker("radiculopathy", extra=[previous]), nlg)
    assert "notices" not in second
    assert "ikke gældende" not in second["text"]


def test_source_answer_names_guideline_strength_and_evidence(nlg: ContentNLG, content_library: Any) -> None:
    advice = BotUttered("...", metadata={"recommendations": ["radiculopathy.mri"]})
    out = say("utter_source", tracker("radiculopathy", extra=[advice]), nlg)
    fields = content_library.source_fields("radiculopathy.mri")
    assert fields["evidence_label"] in out["text"]
    assert fields["strength_label"] in out["text"]
    assert "{" not in out["text"]


def test_edit_reaches_the_bot_without_restart_and_a_broken_edit_is_ignored(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    nlg = ContentNLG(content_dir=content)
    nlg.store.check_interval = 0
    before = say("utter_thanks", tracker("neck"), nlg)
    path = next(p for p in content.rglob("*.md") if "response: utter_thanks" in p.read_text())
    path.write_text(path.read_text().rstrip() + "\n\nRedigeret af en redaktør.\n")
    time.sleep(0.01)
    after = say("utter_thanks", tracker("neck"), nlg)
    assert after["text"] != before["text"] and "Redigeret af en redaktør." in after["text"]
    path.write_text("---\nid: [broken\n---\nhalløj\n")
    still = say("utter_thanks", tracker("neck"), nlg)
    assert still["text"] == after["text"]


def test_escalation_uses_the_flag_written_for_the_patients_condition(nlg: ContentNLG) -> None:
    events = [UserUttered("jeg kan ikke mærke når jeg tisser", {"name": "red_flag_emergency", "confidence": 1.0}),
              SlotSet("condition", "radiculopathy"), SlotSet("urgency", "emergency"),
              SlotSet("red_flag", "neck_bladder")]
    t = DialogueStateTracker.from_events("t", events, slots=DOMAIN.slots)
    out = say("utter_escalate_emergency", t, nlg)
    assert out["red_flag"] == "ces_sphincter"


def test_notice_can_be_skipped_for_later_messages_of_the_same_turn(nlg: ContentNLG) -> None:
    out = say("utter_reassurance_exercise", tracker("radiculopathy"), nlg, skip_notices=True)
    assert "notices" not in out
