"""Consistency check over hand-made trackers: one clean conversation, then one broken field at a time."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from bot import settings
from bot.content import Library
from bot.content.library import build_library
from bot.summary import SEVERE, WARNING, Report, build_summary, check, check_tracker_file, tracker_files
from bot.summary.builder import Statement
from bot.summary.consistency import load_rules
from bot.summary.testing import bot_event, slot_event, user_event


@pytest.fixture(scope="module")
def lib() -> Library:
    library, findings = build_library(settings.CONTENT_DIR)
    assert not [f for f in findings if f.severity == "error"], findings
    return library


def neck_start() -> list[dict[str, Any]]:
    return [user_event("x", "describe_neck_pain"), slot_event("condition", "neck")]


def clean_neck(lib: Library) -> list[dict[str, Any]]:
    return [
        *neck_start(),
        bot_event(lib, "neck.reassurance.pain"),
        bot_event(lib, "neck.reassurance.activity"),
        user_event("x", "ask_massage"),
        bot_event(lib, "neck.treatment.massage"),
        user_event("x", "ask_acupuncture"),
        bot_event(lib, "neck.treatment.acupuncture"),
        user_event("x", "deny"),
        bot_event(lib, "nav.screening_clear"),
        user_event("x", "request_summary"),
    ]


def codes(report: Report, severity: str | None = None) -> set[str]:
    return {f.code for f in report.findings if severity is None or f.severity == severity}


def test_clean_conversation_has_no_findings(lib: Library) -> None:
    report = check(clean_neck(lib), lib)
    assert report.ok
    assert report.findings == []
    assert report.to_dict() == {"ok": True, "findings": []}
    json.dumps(report.to_dict())


def test_accepts_a_tracker_dict(lib: Library) -> None:
    assert check({"sender_id": "x", "events": clean_neck(lib)}, lib).ok


def test_advice_after_emergency_slot_is_severe(lib: Library) -> None:
    events = [*neck_start(), slot_event("urgency", "emergency"), bot_event(lib, "safety.escalate_emergency"),
              bot_event(lib, "neck.treatment.massage")]
    report = check(events, lib)
    assert not report.ok
    finding = next(f for f in report.findings if f.code == "ADVICE_AFTER_ESCALATION")
    assert finding.severity == SEVERE
    assert finding.event_index == 4
    assert finding.content_id == "neck.treatment.massage"
    assert finding.recommendation == "neck.massage"


def test_advice_after_same_day_escalation_message_is_severe(lib: Library) -> None:
    """The escalation message alone (no slot event yet, as form validation orders it) raises urgency."""
    events = [*neck_start(), bot_event(lib, "safety.escalate_same_day"), slot_event("urgency", "same_day"),
              bot_event(lib, "neck.treatment.acupuncture")]
    assert "ADVICE_AFTER_ESCALATION" in codes(check(events, lib), SEVERE)


def test_reassurance_at_soon_is_severe_but_treatment_advice_is_not(lib: Library) -> None:
    """`blocked_from: soon` content may not be said once urgency is soon; other advice may."""
    base = [*neck_start(), bot_event(lib, "safety.escalate_soon"), slot_event("urgency", "soon")]
    assert "ADVICE_AFTER_ESCALATION" in codes(check([*base, bot_event(lib, "neck.reassurance.pain")], lib))
    assert check([*base, bot_event(lib, "neck.treatment.massage")], lib).ok


def test_advice_before_escalation_is_fine(lib: Library) -> None:
    events = [*neck_start(), bot_event(lib, "neck.treatment.massage"), slot_event("urgency", "emergency"),
              bot_event(lib, "safety.escalate_emergency"), bot_event(lib, "safety.reminder_emergency")]
    report = check(events, lib)
    assert report.ok, report.to_dict()


def test_other_guidelines_advice_is_severe(lib: Library) -> None:
    events = [*neck_start(), bot_event(lib, "radiculopathy.treatment.mri")]
    report = check(events, lib)
    found = [f for f in report.findings if f.code == "OTHER_CONDITION"]
    assert found and all(f.severity == SEVERE for f in found)
    assert "radiculopathy.mri" in {f.recommendation for f in found}


def test_recommendation_id_prefix_alone_is_checked(lib: Library) -> None:
    """Even a message labelled for the right condition may not cite the other guideline."""
    event = bot_event(lib, "neck.treatment.massage", recommendations=["radiculopathy.mri"],
                      strengths=["weak_against"])
    report = check([*neck_start(), event], lib)
    assert any(f.code == "OTHER_CONDITION" and f.recommendation == "radiculopathy.mri" for f in report.findings)


def test_advice_before_the_condition_is_known_is_severe(lib: Library) -> None:
    events = [user_event(), bot_event(lib, "neck.treatment.massage")]
    assert "ADVICE_WITHOUT_CONDITION" in codes(check(events, lib), SEVERE)


def test_strength_differing_from_catalogue_is_severe(lib: Library) -> None:
    events = [*neck_start(), bot_event(lib, "neck.treatment.massage", strengths=["weak_for"])]
    report = check(events, lib)
    finding = next(f for f in report.findings if f.code == "STRENGTH_MISMATCH")
    assert (finding.severity, finding.recommendation) == (SEVERE, "neck.massage")


def test_missing_strengths_metadata_is_severe(lib: Library) -> None:
    event = bot_event(lib, "neck.treatment.massage")
    del event["metadata"]["strengths"]
    assert "STRENGTH_MISSING" in codes(check([*neck_start(), event], lib), SEVERE)


def test_unknown_recommendation_is_severe(lib: Library) -> None:
    event = bot_event(lib, "neck.treatment.massage", recommendations=["neck.cupping"], strengths=["weak_for"])
    assert "UNKNOWN_RECOMMENDATION" in codes(check([*neck_start(), event], lib), SEVERE)


def test_missing_patient_phrase_is_a_warning(lib: Library) -> None:
    event = bot_event(lib, "neck.treatment.massage", text="...")
    report = check([*neck_start(), event], lib)
    assert "PHRASE_MISSING" in codes(report, WARNING)


def _rest_phrase(lib: Library) -> str:
    rule = next(r for r in load_rules(lib).contradictions if r.id == "rest_vs_activity")
    return rule.b.phrases[0].pattern.replace("(?<!\\w)", "").replace("(?!\\w)", "").replace("\\s+", " ")


def test_contradicting_advice_is_severe(lib: Library) -> None:
    rest = _rest_phrase(lib)
    events = [*neck_start(), bot_event(lib, "neck.reassurance.activity"),
              bot_event(lib, "neck.treatment.acupuncture", text=f"{rest}.")]
    report = check(events, lib)
    finding = next(f for f in report.findings if f.code == "CONTRADICTION")
    assert finding.severity == SEVERE
    assert finding.event_index == 3  # the later message is the one that contradicts
    assert "rest_vs_activity" in finding.message


def test_negated_phrase_is_not_a_contradiction(lib: Library) -> None:
    rules = load_rules(lib)
    rest = _rest_phrase(lib)
    events = [*neck_start(), bot_event(lib, "neck.reassurance.activity"),
              bot_event(lib, "neck.treatment.acupuncture", text=f"{rules.negations[0]} {rest}.")]
    assert "CONTRADICTION" not in codes(check(events, lib))


def test_our_own_content_never_matches_a_contradiction_side_b(lib: Library) -> None:
    """Side b is how a WRONG message would talk; no real message may say it."""
    rules = load_rules(lib)
    from bot.summary.consistency import _says

    for message in lib.messages.values():
        for text in message.texts():
            for rule in rules.contradictions:
                for pattern in rule.b.phrases:
                    assert not _says(pattern, text, rules), (message.id, rule.id, pattern.pattern)


def test_rules_name_only_known_recommendations(lib: Library) -> None:
    rules = load_rules(lib)
    assert rules.contradictions
    for rule in rules.contradictions:
        for side in (rule.a, rule.b):
            assert side.recommendations <= set(lib.recommendations), rule.id
            assert side.content_ids <= set(lib.messages), rule.id
            assert side.recommendations or side.content_ids or side.phrases, rule.id


def test_contradicting_recommendations_pair(lib: Library) -> None:
    """Acupuncture 'kan overvejes' (neck) and 'not routinely' (lumbar) must never meet."""
    events = [*neck_start(), bot_event(lib, "neck.treatment.acupuncture"),
              slot_event("condition", "radiculopathy"), bot_event(lib, "radiculopathy.treatment.acupuncture")]
    report = check(events, lib)
    assert "CONTRADICTION" in codes(report, SEVERE)


def test_guideline_version_differing_from_summary_is_severe(lib: Library) -> None:
    events = [*neck_start(), bot_event(lib, "neck.treatment.massage", guideline_versions={"neck": "NKR 1999"})]
    report = check(events, lib)
    finding = next(f for f in report.findings if f.code == "VERSION_MISMATCH")
    assert finding.severity == SEVERE and finding.recommendation == "neck.massage"


def test_missing_guideline_version_is_a_warning(lib: Library) -> None:
    events = [*neck_start(), bot_event(lib, "neck.treatment.massage", guideline_versions={})]
    assert "VERSION_MISSING" in codes(check(events, lib), WARNING)


def test_summary_statement_must_trace_to_a_delivered_message(lib: Library) -> None:
    events = clean_neck(lib)
    summary = build_summary(events, lib)
    assert check(events, lib, summary).ok
    massage = next(s for s in summary.statements if s.content_id == "neck.treatment.massage")
    tampered = [s for s in summary.statements if s is not massage]
    tampered.append(Statement(massage.section, massage.event_index, massage.content_id,
                              massage.recommendations, ("weak_for",), massage.text))
    summary.statements = tampered
    report = check(events, lib, summary)
    assert any(f.code == "SUMMARY_UNTRACED" and f.recommendation == "neck.massage" for f in report.severe)

    summary.statements = [Statement("treatment", 999, "neck.treatment.tramadol", ("neck.tramadol",),
                                    ("good_practice_against",), "...")]
    assert "SUMMARY_UNTRACED" in codes(check(events, lib, summary), SEVERE)


def test_summary_text_must_be_the_delivered_text(lib: Library) -> None:
    events = clean_neck(lib)
    summary = build_summary(events, lib)
    first = summary.statements[0]
    summary.statements[0] = Statement(first.section, first.event_index, first.content_id,
                                      first.recommendations, first.strengths, first.text + " !")
    assert "SUMMARY_TEXT_CHANGED" in codes(check(events, lib, summary), SEVERE)


def test_summary_cited_version_must_match_messages(lib: Library) -> None:
    events = clean_neck(lib)
    summary = build_summary(events, lib)
    summary.guideline_versions["neck"] = "another version"
    assert "VERSION_MISMATCH" in codes(check(events, lib, summary), SEVERE)


def test_urgency_without_escalation_message(lib: Library) -> None:
    same_day = check([*neck_start(), slot_event("urgency", "same_day")], lib)
    assert "ESCALATION_MISSING" in codes(same_day, SEVERE)
    soon = check([*neck_start(), slot_event("urgency", "soon")], lib)
    assert "ESCALATION_MISSING" in codes(soon, WARNING)
    assert soon.ok


def test_a_sent_summary_may_only_cite_what_was_said_before_it(lib: Library) -> None:
    events = clean_neck(lib)
    summary = build_summary(events, lib)
    sent = bot_event(lib, "nav.summary", custom={"summary_markdown": summary.markdown, "filename": "x.md"},
                     recommendations=summary.recommendation_ids,
                     strengths=[lib.recommendation(r).strength for r in summary.recommendation_ids])
    assert check([*events, sent], lib).ok, check([*events, sent], lib).to_dict()

    wrong = dict(sent, metadata={**sent["metadata"], "recommendations": ["neck.tramadol"],
                                 "strengths": ["good_practice_against"]})
    assert "SUMMARY_UNTRACED" in codes(check([*events, wrong], lib), SEVERE)

    stale = dict(sent, data={"custom": {"summary_markdown": "# old\n"}})
    assert "SUMMARY_STALE" in codes(check([*events, stale], lib), WARNING)


def test_findings_after_a_new_session_point_into_the_full_event_list(lib: Library) -> None:
    old = [*neck_start(), bot_event(lib, "radiculopathy.treatment.mri")]  # broken, but a past session
    events = [*old, {"event": "session_started"}, *neck_start(), bot_event(lib, "neck.treatment.massage",
                                                                           strengths=["weak_for"])]
    report = check(events, lib)
    # the summary also refuses to state a strength the conversation did not say
    assert {f.code for f in report.severe} == {"STRENGTH_MISMATCH", "SUMMARY_UNTRACED"}
    assert {f.event_index for f in report.severe} == {len(events) - 1}


def test_tracker_files_and_file_check(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "trackers"
    folder.mkdir()
    (folder / "clean.json").write_text(json.dumps({"sender_id": "a", "events": clean_neck(lib)}))
    (folder / "broken.json").write_text(json.dumps([*neck_start(), bot_event(lib, "radiculopathy.treatment.mri")]))
    files = tracker_files([folder])
    assert [f.name for f in files] == ["broken.json", "clean.json"]
    assert check_tracker_file(folder / "clean.json", lib).ok
    assert not check_tracker_file(folder / "broken.json", lib).ok


def _script() -> Any:
    path = settings.ROOT / "scripts" / "check_consistency.py"
    spec = importlib.util.spec_from_file_location("check_consistency_script", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_exit_codes_and_json(lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    script = _script()
    monkeypatch.setattr(script, "load_library", lambda content_dir=None: lib)
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps({"events": clean_neck(lib)}))
    assert script.main([str(clean)]) == 0
    assert "OK" in capsys.readouterr().out

    broken = tmp_path / "more" / "broken.json"
    broken.parent.mkdir()
    broken.write_text(json.dumps({"events": [*neck_start(), bot_event(lib, "neck.treatment.massage",
                                                                      strengths=["strong_for"])]}))
    assert script.main([str(tmp_path), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False
    assert out["files"][str(clean)]["ok"] is True
    assert out["files"][str(broken)]["findings"][0]["code"] == "STRENGTH_MISMATCH"
    # no message text in the report: only codes and ids
    assert lib.messages["neck.treatment.massage"].body[:30] not in json.dumps(out, ensure_ascii=False)

    warn = tmp_path / "warn.json"
    warn.write_text(json.dumps([*neck_start(), slot_event("urgency", "soon")]))
    assert script.main([str(warn)]) == 0
    assert script.main([str(warn), "--fail-on-warnings"]) == 1
    assert script.main([str(tmp_path / "missing")]) == 2


def test_conversation_rendered_by_the_real_nlg_is_consistent(lib: Library) -> None:
    """Events made the way Rasa makes them (NLG output -> BotUttered), including the sent summary."""
    pytest.importorskip("rasa")
    from rasa.core.actions.action import create_bot_utterance
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    from bot.nlg import render

    domain = Domain.load(str(settings.ROOT / "domain.yml"))
    tracker = DialogueStateTracker.from_events("t", [UserUttered("x", {"name": "describe_neck_pain"})],
                                               slots=domain.slots)
    tracker.update(SlotSet("condition", "neck"))

    def utter(response: str, **kwargs: Any) -> None:
        draft = render(lib, response, tracker, kwargs)
        draft["utter_action"] = response
        draft.update({k: v for k, v in kwargs.items() if v})  # what Rasa does with an action's kwargs
        tracker.update(create_bot_utterance(draft))

    for response in ("utter_reassurance_pain", "utter_treatment_massage", "utter_treatment_acupuncture",
                     "utter_screening_clear"):
        utter(response)
    tracker.update(UserUttered("x", {"name": "request_summary"}))
    events = tracker.current_state(EventVerbosity.ALL)["events"]
    summary = build_summary(events, lib)
    report = check(events, lib, summary)
    assert report.ok and not report.findings, report.to_dict()

    utter("utter_summary", summary_markdown=summary.markdown, filename=summary.filename,
          recommendations=summary.recommendation_ids)
    events = tracker.current_state(EventVerbosity.ALL)["events"]
    report = check(events, lib)
    assert report.ok and not report.findings, report.to_dict()

    tracker.update(SlotSet("urgency", "emergency"))
    utter("utter_escalate_emergency", red_flag="neck_cord")
    utter("utter_treatment_massage")  # the NLG replaces advice with the reminder
    events = tracker.current_state(EventVerbosity.ALL)["events"]
    report = check(events, lib)
    assert report.ok, report.to_dict()
