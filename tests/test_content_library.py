"""Content library: what the bot says for each response and condition, and that it matches the guides."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot import settings
from bot.content import ContentError, Library, load_library, load_red_flags

# Stand-in flags, used only when the safety helper's red_flags.yml is not there yet.
FIXTURE_FLAGS = """\
flags:
  - id: ces_sphincter
    tier: emergency
    conditions: [radiculopathy]
    question: Har du fået besvær med at tisse eller holde på afføringen?
    if_unsure: emergency
    reason: Besvær med at tisse kan være tegn på tryk på nerverne i lænden.
    patterns: ["kan ikke tisse"]
  - id: neck_trauma
    tier: emergency
    conditions: [neck]
    question: Kom smerterne efter et fald eller en ulykke?
    if_unsure: same_day
    reason: Et uheld kan have skadet nakken.
    patterns: ["faldt"]
  - id: fever_unwell
    tier: same_day
    conditions: []
    question: null
    if_unsure: null
    reason: Feber med rygsmerter bør ses af en læge i dag.
    patterns: ["feber"]
"""

RESPONSES = [
    "utter_greet", "utter_goodbye", "utter_thanks", "utter_iamabot", "utter_human", "utter_out_of_scope",
    "utter_default", "utter_ask_rephrase", "utter_not_covered", "utter_ask_condition_first",
    "utter_screening_intro", "utter_screening_clear", "utter_screening_hint", "utter_offer_questions",
    "utter_bad_input", "utter_rate_limited", "utter_action_failure", "utter_summary_blocked",
    "utter_guideline_not_current", "utter_escalate_emergency", "utter_escalate_same_day",
    "utter_escalate_soon", "utter_reminder_emergency", "utter_reminder_same_day", "utter_reassurance_pain",
    "utter_reassurance_course", "utter_reassurance_activity", "utter_reassurance_exercise",
    "utter_reassurance_followup", "utter_treatment_exercise", "utter_treatment_specific_exercise",
    "utter_treatment_mobilisation", "utter_treatment_exercise_vs_mobilisation",
    "utter_treatment_acupuncture", "utter_treatment_massage", "utter_treatment_painkillers",
    "utter_treatment_topical_nsaid", "utter_treatment_tramadol", "utter_treatment_mri",
    "utter_treatment_injection", "utter_treatment_surgery", "utter_treatment_activity",
    "utter_treatment_written_info", "utter_prognosis", "utter_source",
]
NECK_ONLY = ["utter_treatment_massage", "utter_treatment_painkillers", "utter_treatment_topical_nsaid",
             "utter_treatment_tramadol", "utter_treatment_written_info", "utter_prognosis"]
RADICULOPATHY_ONLY = ["utter_treatment_specific_exercise", "utter_treatment_mri", "utter_treatment_injection",
                      "utter_treatment_surgery"]


def make_content(tmp_path: Path) -> Path:
    """A private copy of the real content (editing it cannot disturb other tests or editors)."""
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    if not (content / "red_flags.yml").exists():
        (content / "red_flags.yml").write_text(FIXTURE_FLAGS, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return load_library(make_content(tmp_path_factory.mktemp("lib")))


def test_all_responses_the_dialogue_uses_have_content(lib: Library) -> None:
    missing = [r for r in RESPONSES if r not in lib.responses()]
    assert not missing


def test_screening_questions_are_responses_with_answer_buttons(lib: Library) -> None:
    asked = [f for f in lib.red_flags if f.question]
    assert asked
    for flag in asked:
        message = lib.resolve(f"utter_ask_rf_{flag.id}", None)
        assert message.body == flag.question
        assert [b["payload"] for b in message.buttons] == ["/affirm", "/deny", "/unsure"]
    silent = [f for f in lib.red_flags if not f.question]
    assert all(f"utter_ask_rf_{f.id}" not in lib.responses() for f in silent)


def test_message_for_the_patients_condition_is_chosen(lib: Library) -> None:
    assert lib.resolve("utter_treatment_exercise", "neck").recommendations == ("neck.supervised_exercise",)
    assert lib.resolve("utter_treatment_exercise", "radiculopathy").recommendations == (
        "radiculopathy.supervised_exercise",
    )


def test_shared_message_is_used_for_both_conditions_and_without_one(lib: Library) -> None:
    for condition in ("neck", "radiculopathy", None):
        assert lib.resolve("utter_greet", condition).id == "nav.greet"


@pytest.mark.parametrize("response", NECK_ONLY)
def test_neck_only_advice_is_not_covered_for_sciatica(lib: Library, response: str) -> None:
    assert lib.resolve(response, "radiculopathy").response == "utter_not_covered"


@pytest.mark.parametrize("response", RADICULOPATHY_ONLY)
def test_sciatica_only_advice_is_not_covered_for_the_neck(lib: Library, response: str) -> None:
    assert lib.resolve(response, "neck").response == "utter_not_covered"


def test_advice_before_the_condition_is_known_asks_for_it(lib: Library) -> None:
    message = lib.resolve("utter_treatment_massage", None)
    assert message.response == "utter_ask_condition_first"
    assert {b["payload"] for b in message.buttons} == {"/describe_neck_pain", "/describe_leg_pain"}


def test_unknown_response_is_a_key_error(lib: Library) -> None:
    with pytest.raises(KeyError):
        lib.resolve("utter_does_not_exist", "neck")


@pytest.mark.parametrize("condition", ["neck", "radiculopathy"])
def test_no_response_ever_borrows_the_other_guideline(lib: Library, condition: str) -> None:
    for response in lib.responses():
        message = lib.resolve(response, condition)
        assert all(lib.recommendation(r).guideline == condition for r in message.recommendations), response


def test_every_recommendation_is_used_and_matches_the_shared_list(lib: Library) -> None:
    source = (settings.GUIDELINES_DIR / "recommendations.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_.]+)` \| (\w+) \| (\w+|–) \|", source, flags=re.MULTILINE)
    assert len(rows) == 22
    assert set(lib.recommendations) == {r[0] for r in rows}
    for rid, strength, evidence in rows:
        rec = lib.recommendation(rid)
        assert rec.strength == strength, rid
        assert rec.evidence == (None if evidence == "–" else evidence), rid
    cited = {r for m in lib.messages.values() for r in m.recommendations}
    assert cited == set(lib.recommendations)


def _squash(text: str) -> str:
    """Compare wording while ignoring layout, line-break hyphens and the lumbar guide's symbols."""
    text = re.sub(r"\(⊕+\)|[↑↓√]", "", text)
    return re.sub(r"[\s\-.]", "", text).lower()


def test_recommendation_wording_is_copied_from_the_quick_guides(lib: Library) -> None:
    for rec in lib.recommendations.values():
        guide = lib.guidelines[rec.guideline].source_file
        text = (settings.GUIDELINES_DIR / guide).read_text(encoding="utf-8")
        assert _squash(rec.text) in _squash(text), rec.id


def test_guideline_status_is_stated(lib: Library) -> None:
    assert lib.guidelines["neck"].status == "current"
    assert "ikke vurderet nødvendig i 2020" in lib.guidelines["neck"].status_text
    lumbar = lib.guidelines["radiculopathy"]
    assert lumbar.status == "not_current"
    assert "ikke gældende" in lumbar.status_text and "22. marts 2023" in lumbar.status_text


def test_advice_states_its_strength_in_plain_danish(lib: Library) -> None:
    for message in lib.messages.values():
        for rid in message.recommendations:
            phrase = lib.strengths[lib.recommendation(rid).strength].patient_phrase
            assert phrase in message.body.lower(), (message.id, phrase)


def test_sciatica_messages_do_not_borrow_neck_reassurance(lib: Library) -> None:
    for message in lib.messages.values():
        if message.condition == "radiculopathy":
            body = message.body.lower()
            assert "vævsskade" not in body and "hurtigt bedre" not in body, message.id


def test_reassurance_that_pain_is_harmless_is_withheld_from_any_warning_sign(lib: Library) -> None:
    for response in ("utter_reassurance_pain", "utter_reassurance_course", "utter_prognosis"):
        assert lib.resolve(response, "neck").blocked_from == "soon"
    assert lib.resolve("utter_treatment_massage", "neck").blocked_from == "same_day"
    assert lib.resolve("utter_greet", None).blocked_from is None


def test_reassurance_sequence_is_ordered_per_condition(lib: Library) -> None:
    assert [m.response for m in lib.sequence("reassurance", "neck")] == [
        "utter_reassurance_pain", "utter_reassurance_course", "utter_reassurance_activity",
    ]
    assert [m.response for m in lib.sequence("reassurance", "radiculopathy")] == [
        "utter_reassurance_activity", "utter_reassurance_exercise", "utter_reassurance_followup",
    ]


def test_treatment_messages_offer_the_source_button(lib: Library) -> None:
    for message in lib.messages.values():
        if message.response.startswith("utter_treatment_"):
            assert {"title": "Hvor kommer rådet fra?", "payload": "/ask_source"} in message.buttons, message.id


def test_source_answer_is_filled_for_a_recommendation(lib: Library) -> None:
    fields = lib.source_fields("radiculopathy.mri")
    assert fields["strength_label"] == "Svag anbefaling imod"
    assert fields["evidence_label"] == "meget lav"
    assert fields["patient_phrase"] == "kun efter nøje overvejelse"
    text = lib.resolve("utter_source", "radiculopathy").render(fields)
    assert "MR-skanning" in text and "ikke gældende" in text and "{" not in text
    assert "konsensus" in lib.source_fields("radiculopathy.surgical_assessment")["evidence_label"]
    assert lib.source_fields("neck.massage")["evidence_label"] == "ikke angivet i quick guiden"


def test_render_fills_placeholders_and_never_shows_braces(lib: Library) -> None:
    message = lib.resolve("utter_escalate_emergency", "neck")
    assert "Tryk på nerverne." in message.render({"red_flag_reason": "Tryk på nerverne."})
    empty = message.render({})
    assert "{" not in empty and "  " not in empty
    assert message.render({"red_flag_reason": None}) == empty


def test_render_tolerates_odd_braces_and_cycles_variations(lib: Library) -> None:
    from dataclasses import replace

    message = replace(lib.resolve("utter_thanks", None), body="a {x} { b } {{y}} {", variations=["v {x}"])
    assert message.render({"x": 1}) == "a 1 { b } {} {"
    assert message.render({"x": 1}, variation=1) == "v 1"
    assert message.render({"x": 1}, variation=2) == message.render({"x": 1})


def test_version_changes_when_a_file_changes(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    first = load_library(content).version
    assert load_library(content).version == first
    path = content / "messages" / "navigation" / "thanks.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Selv tak.", "Selv tak!"), encoding="utf-8")
    assert load_library(content).version != first


def test_broken_content_is_refused(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    (content / "messages" / "navigation" / "thanks.md").write_text("---\nid: [broken\n---\nhej\n")
    with pytest.raises(ContentError) as err:
        load_library(content)
    assert "thanks.md" in str(err.value)


def test_red_flags_load_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "red_flags.yml"
    path.write_text(FIXTURE_FLAGS + "    extra_key: ignored\n", encoding="utf-8")
    flags = load_red_flags(path)
    by_id = {f.id: f for f in flags}
    assert by_id["ces_sphincter"].conditions == ("radiculopathy",)
    assert by_id["ces_sphincter"].negatable is True
    assert by_id["fever_unwell"].question is None
    path.write_text("flags:\n  - id: x\n    tier: later\n    reason: r\n    patterns: [p]\n")
    with pytest.raises(ContentError):
        load_red_flags(path)
