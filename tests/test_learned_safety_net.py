"""The learned safety net (bot/safety/learned.py): emergencies the patterns miss still get 112."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import load_red_flags
from bot.content.red_flags import check_red_flags
from bot.safety import learned
from bot.safety.detector import Detector, PatternError, detect, get_detector, most_urgent
from bot.safety.evaluation import NEWEST_ROUND, load_cases

ROOT = Path(__file__).resolve().parent.parent


def _settings() -> learned.LearnedSettings:
    """The settings the bot uses (content/red_flags.yml, `learned:`)."""
    settings = get_detector().learned_settings
    assert settings is not None, "the learned safety net is off in content/red_flags.yml"
    return settings


# Written for this test, never in the training data; each reports an emergency sign in words the
# patterns in content/red_flags.yml did not know when this test was written.
UNSEEN_EMERGENCIES = [
    "Jeg opdagede i morges at jeg slet ikke ved om blæren er tom eller fuld, og iskiasen er slem",
    "Min tissetrang er helt væk i dag og blæren føles fuld og tung, har iskias",
    "Jeg var ude og køre på motorcykel og væltede i et sving i eftermiddags, nu gør nakken ondt",
    "Jeg kan ikke holde på en kop med nogen af hænderne og nakken gør ondt",
]
# Ordinary messages of newly onset neck pain or sciatica, also never in the training data.
ORDINARY = [
    "Jeg har haft ondt i nakken i tre dage, hjælper det at gå en tur?",
    "Min iskias stråler ned i venstre ben når jeg sidder længe på kontoret",
    "Må jeg godt cykle på arbejde selvom det gør ondt i lænden?",
    "Skal jeg have en scanning af ryggen når smerterne går ned i benet?",
    "Nakken er stiv om morgenen men bliver bedre når jeg har været i bad",
    "Hvor lang tid går der normalt før iskias forsvinder af sig selv?",
    "Jeg tisser helt normalt og har ingen feber, jeg vil bare vide om jeg må træne",
    "kan jeg tage panodil og ipren samtidig for mine rygsmerter",
    "tak for hjælpen, det var rart at få svar på det hele",
]


@pytest.fixture(scope="module")
def held_out_model() -> learned.Scorer:
    """The same method, trained on everything except the newest round."""
    return learned.scorer(NEWEST_ROUND)


def test_the_scorer_gives_exactly_sklearns_probability() -> None:
    texts = [c.text for c in load_cases(ROOT / "tests" / "red_flags" / "heldout.yml")][:80] + ORDINARY
    expected = learned.trained_model().predict_proba(texts)[:, 1]
    got = [learned.scorer().probability(t) for t in texts]
    assert max(abs(a - b) for a, b in zip(expected, got, strict=True)) < 1e-9


def test_unseen_emergency_wordings_get_112() -> None:
    for text in UNSEEN_EMERGENCIES:
        top = most_urgent(detect(text))
        assert top is not None and top.tier == "emergency", text
        assert learned.probability(text) >= _settings().threshold, text


def test_ordinary_messages_get_no_flag() -> None:
    for text in ORDINARY:
        assert learned.probability(text) < _settings().threshold, text
        assert detect(text) == [], text


def test_on_a_round_it_never_saw_it_finds_most_emergencies_and_few_false_alarms(
    held_out_model: learned.Scorer,
) -> None:
    """Trained without the newest four blind batches (480 messages), scored on them.

    The classifier alone, on whole messages (no patterns, so no veto), at or above the threshold: 120/120
    emergencies and 1/240 messages without a flag on GG-GJ (the neck's emergencies and look-alikes, the legs in
    daily life, fever and infection, sex and genital feeling; the same at first sight); 104/120 and 2/240 on
    GC-GF (very short messages, bladder and bowel troubles
    that are not cauda equina, worried writers, after a visit; the same at first sight: a quarter of the round is
    under six words, which the net does not judge); 116/120 and 2/240 on FY-GB (misspelling, second-language Danish,
    risk factors and history, checklists; 115/120 and 2/240 at first sight, before the red team of this round's rules
    joined the training data); 119/120 and 1/240 on FU-FX (pronouns across sentences, sides and counts,
    aids in place, conversational Danish; the same at first sight); 118/120 and 5/240 on FQ-FT (words of change,
    run-on messages, self-tests, treatment questions with a sign in passing; the same at first sight, all 5 in the
    self-test batch); 116/120
    and 2/240 on FM-FP (long stories, daily life, carers writing in the third person, metaphors; 115/120 at first
    sight); 117/120 and 2/240 on FI-FL (numbers and times, physical work
    and sport, night and waking, signs that come and go; the same at first sight); 114/120 and 0/240 on FE-FH
    (generic pronouns, known conditions, signs told as questions, what the writer did about it; 113/120 at first
    sight); 113/120 and 0/240 on FA-FD (linking words, comparisons, lay medical words, wrong everyday causes; the
    same at first sight, before the red team of this round's rules joined the training data); 110/120 and 2/240 on
    EW-EZ (vague body words, corrections, children and teenagers, degree words; 109/120 at first sight); 115/120 and
    2/240 on ES-EV (compound nouns and shorthand, words with two meanings, getting care, keeping active; 114/120 at
    first sight); 114/120 and 3/240 on EO-ER (what others noticed, exceptions and contrasts, how it started,
    ordinary bladder and sexual troubles); 119/120 and 2/240 on EK-EN (drink and medicines, cold and surroundings,
    signs just beginning, understatement and irony); 116/120 and 1/240 on EG-EJ (after procedures, messy phone
    typing, risk factors told in passing, crude and slang words); 115/120 and 6/240 on EC-EF (dialects, work and
    insurance, other conditions, mental health); 114/120 and 4/240 on DY-EB (pregnancy, dictation, head and neck
    signs, pain medicine); 108/120 and 1/240 on DU-DX (a third of the writers wrote English, Norwegian, Swedish or
    German); 113/120 and 1/240 on DQ-DT; 116/120 and 2/240 on DM-DP; 112/120 and 0/240 on DI-DL; 119/120 and 0/240
    on DE-DH; 114/120 and 0/240 on DA-DD; 117/120 and 3/240 on CW-CZ; 110/120 and 1/240 on CS-CV; 110/120 and 6/240
    on CO-CR; 113/120 and 4/240 on CK-CN; 109/120 and 3/240 on CG-CJ; 115/120 and 2/239 on CC-CF; 111/120 and 3/240
    on BY-CB; 111/120 and 1/240 on BU-BX, 110/120 and 1/240 on BQ-BT, 112/120 and 0/240 on BM-BP, 116/120 and 3/240
    on BI-BL, 108/120 and 0/240 on BE-BH before."""
    cases = [c for name in NEWEST_ROUND for c in load_cases(ROOT / "tests" / "red_flags" / f"{name}.yml")]
    settings = _settings()

    def flagged(text: str) -> bool:
        return settings.applies(text) and held_out_model.probability(text) >= settings.threshold

    emergencies = [c.text for c in cases if c.tier == "emergency"]
    harmless = [c.text for c in cases if c.tier == "none"]
    assert (len(emergencies), len(harmless)) == (120, 240)
    assert sum(map(flagged, emergencies)) / len(emergencies) >= 0.85
    assert sum(map(flagged, harmless)) / len(harmless) <= 0.03


def test_it_only_adds_an_emergency_and_never_lowers_what_the_patterns_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    same_day = "jeg har feber og ondt i ryggen"
    assert most_urgent(detect(same_day)).tier == "same_day"
    monkeypatch.setattr(learned, "probability", lambda text: 0.0)
    assert most_urgent(detect(same_day)).tier == "same_day"
    assert {d.flag_id for d in detect("jeg kan ikke mærke når jeg tisser")} >= {"ces_sphincter"}
    monkeypatch.setattr(learned, "probability", lambda text: 0.99)
    found = detect("jeg har feber og ondt i ryggen hele tiden")
    assert [d.flag_id for d in found][:1] == ["possible_emergency"]
    assert "spinal_infection" in {d.flag_id for d in found}


def test_short_messages_are_never_judged_by_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learned, "probability", lambda text: 0.99)
    assert detect("slet ikke") == []
    assert detect("stiv nakke siden i går") == []  # five words
    assert [d.flag_id for d in detect("min nakke er stiv siden i går")] == ["possible_emergency"]


def test_a_broken_model_leaves_the_patterns_working(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> float:
        raise RuntimeError("model file damaged")

    monkeypatch.setattr(learned, "probability", broken)
    assert most_urgent(detect("jeg kan ikke mærke når jeg tisser")).tier == "emergency"
    assert detect("Jeg har haft ondt i nakken i tre dage, hjælper det at gå en tur?") == []


@pytest.mark.parametrize("text", [
    "nej, jeg er ikke følelsesløs i skridtet",
    "jeg har ikke mistet kontrollen over blæren eller tarmen",
    "jeg har ikke svært ved at tisse",
    "faldt ned fra et træ som barn",
    "var i et færdselsuheld i 2015 og fik piskesmæld, det gik over",
])
def test_where_the_patterns_read_a_sign_as_denied_or_past_their_reading_stands(
    text: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(learned, "probability", lambda text: 0.99)
    assert detect(text) == []


def test_in_a_longer_message_a_denial_does_not_silence_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learned, "probability", lambda text: 0.99)
    found = detect("Nej ingen feber. Men siden i morges er der noget helt galt dernede, "
                   "jeg ved ikke hvad jeg skal gøre")
    assert [d.flag_id for d in found][:1] == ["possible_emergency"]


def test_patterns_alone_can_be_measured_apart() -> None:
    text = UNSEEN_EMERGENCIES[1]
    assert any(d.flag_id == "possible_emergency" for d in get_detector().detect(text))
    assert all(d.flag_id != "possible_emergency" for d in get_detector().detect(text, learned=False))


def test_the_escalation_names_112_and_a_reason() -> None:
    flag = next(f for f in load_red_flags() if f.learned)
    assert flag.tier == "emergency" and flag.question is None and not flag.patterns
    assert flag.reason.endswith(".") and len(flag.reason) < 120


@pytest.mark.parametrize("raw", [
    "ja", {"flag": "possible_emergency"}, {"flag": "x", "threshold": 1.5}, {"flag": "x", "threshold": "høj"},
    {"flag": "x", "threshold": 0.7, "min_words": 0},
])
def test_a_broken_learned_section_is_an_error(raw: object) -> None:
    with pytest.raises(PatternError):
        Detector(load_red_flags(), {"learned": raw})


def test_the_linter_names_a_learned_flag_with_patterns_and_a_missing_flag(tmp_path: Path) -> None:
    text = (ROOT / "content" / "red_flags.yml").read_text(encoding="utf-8")
    path = tmp_path / "red_flags.yml"
    path.write_text(text.replace("    learned: true\n", "    learned: true\n    patterns: [\"x y z\"]\n"),
                    encoding="utf-8")
    codes = {f.code for f in check_red_flags(path)[1]}
    assert {"RF011", "RF012"} <= codes
    path.write_text(text.replace("  flag: possible_emergency", "  flag: no_such_flag"), encoding="utf-8")
    findings = [f for f in check_red_flags(path)[1] if f.code == "RF012"]
    assert findings and findings[0].line == text.splitlines().index("learned:") + 1


def test_a_missing_example_folder_is_logged_as_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(learned, "EXAMPLE_DIR", tmp_path)
    monkeypatch.setattr(learned, "CHAT_EXAMPLES", tmp_path / "no_nlu.yml")
    with caplog.at_level("ERROR", logger="bot.safety.learned"):
        texts, labels = learned.training_examples()
    assert (texts, labels) == ([], [])
    assert "finds nothing" in caplog.text
