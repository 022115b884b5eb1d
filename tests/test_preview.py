"""Clinician preview: script loading, comparison, coverage, rendering and flow diagram (no server)."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot import settings
from bot.content import Message, Recommendation, RedFlag, Strength
from bot.content.catalogue import Guideline
from bot.preview import coverage as coverage_mod
from bot.preview.compare import compare, split_tracker
from bot.preview.flow import build_dot, load_chains, load_forms, render_flow
from bot.preview.render import RunInfo, SiteBuilder, render_markdown
from bot.preview.script import ScriptError, load_dialogues

ROOT = Path(__file__).resolve().parent.parent


# --- hand-made content and trackers ------------------------------------------------------------------
@dataclass
class FakeLibrary:
    """The part of bot.content.Library the preview uses, with two recommendations and two flags."""

    root: Path
    messages: dict[str, Message] = field(default_factory=dict)
    recommendations: dict[str, Recommendation] = field(default_factory=dict)
    strengths: dict[str, Strength] = field(default_factory=dict)
    guidelines: dict[str, Guideline] = field(default_factory=dict)
    red_flags: list[RedFlag] = field(default_factory=list)
    evidence_labels: dict[str, str] = field(default_factory=dict)
    version: str = "abc123def456"

    def recommendation(self, rid: str) -> Recommendation:
        return self.recommendations[rid]

    def red_flag(self, flag_id: str) -> RedFlag:
        return next(f for f in self.red_flags if f.id == flag_id)

    def evidence_label(self, rec: Recommendation) -> str:
        return self.evidence_labels.get(rec.evidence or "not_graded", "")


def _message(root: Path, cid: str, kind: str = "advice", recs: tuple[str, ...] = ()) -> Message:
    path = root / "content" / "messages" / (cid.replace(".", "_") + ".md")
    return Message(id=cid, response="utter_" + cid.split(".")[-1], condition="neck", kind=kind,
                   recommendations=recs, body="x", path=path, line=7)


@pytest.fixture
def library(tmp_path: Path) -> FakeLibrary:
    lib = FakeLibrary(root=tmp_path)
    lib.strengths = {
        "weak_against": Strength("weak_against", "↓", "Svag anbefaling imod", "kun efter nøje overvejelse"),
        "weak_for": Strength("weak_for", "↑", "Svag anbefaling for", "kan overvejes"),
    }
    lib.evidence_labels = {"low": "lav", "not_graded": "ikke angivet i quick guiden"}
    lib.guidelines = {"neck": Guideline("neck", "Titel", "Nakke-retningslinjen", "2013–2016", "current", "",
                                        "NKR 2016", "neck.txt")}
    lib.recommendations = {
        "neck.massage": Recommendation("neck.massage", "neck", "weak_against", None, "Anvend kun massage ..."),
        "neck.acupuncture": Recommendation("neck.acupuncture", "neck", "weak_for", None, "Overvej akupunktur"),
        "neck.mobilisation": Recommendation("neck.mobilisation", "neck", "weak_for", "low", "Overvej mob."),
    }
    for m in (_message(tmp_path, "nav.greet", "navigation"),
              _message(tmp_path, "neck.treatment.massage", recs=("neck.massage",)),
              _message(tmp_path, "neck.treatment.acupuncture", recs=("neck.acupuncture",)),
              _message(tmp_path, "safety.escalate_emergency", "safety")):
        lib.messages[m.id] = m
    lib.red_flags = [
        RedFlag("neck_trauma", "emergency", ("neck",), "Faldt du?", "same_day", "Efter et fald ...", ("fald",)),
        RedFlag("neck_soon", "soon", ("neck",), "Kræft?", "soon", "Kræft ...", ("kræft",)),
    ]
    return lib


def user(text: str, intent: str = "x") -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def bot(cid: str | None, text: str = "tekst", **meta: Any) -> dict[str, Any]:
    metadata = {"content_id": cid, **meta} if cid else dict(meta)
    return {"event": "bot", "text": text, "data": {"buttons": meta.pop("buttons", None)}, "metadata": metadata}


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def write_script(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "d.yml"
    path.write_text(text, encoding="utf-8")
    return path


SCRIPT = """
snippets:
  start:
    - user: Hej
    - bot: [nav.greet]
dialogues:
  - name: massage
    title: "Nakke: massage"
    description: Spørger om massage.
    turns:
      - include: start
      - user: "Hjælper massage? <script>alert(1)</script>"
      - bot: [neck.treatment.massage]
      - expect_slots: {urgency: none}
"""


@pytest.fixture
def dialogue(tmp_path: Path) -> Any:
    write_script(tmp_path / "dialogues", SCRIPT)
    return load_dialogues(tmp_path / "dialogues")[0]


def tracker(*events: dict[str, Any]) -> dict[str, Any]:
    return {"sender_id": "s", "events": [{"event": "action", "name": "action_session_start"}, *events]}


# --- scripts ----------------------------------------------------------------------------------------
def test_script_includes_snippets_and_groups_expectations(dialogue: Any) -> None:
    assert [e.user for e in dialogue.exchanges] == ["Hej", "Hjælper massage? <script>alert(1)</script>"]
    assert dialogue.exchanges[0].bot == ["nav.greet"]
    assert dialogue.exchanges[1].bot == ["neck.treatment.massage"]
    assert dialogue.exchanges[1].expect_slots == {"urgency": "none"}


@pytest.mark.parametrize("turns, error", [
    ("- include: nope", "ukendt snippet"),
    ("- {user: hej, bot: [nav.greet]}", "to ture"),
    ("- {usr: hej}", "ukendte felter"),
    ("- bot: [nav.greet]", "ingen 'user'"),
])
def test_script_errors_are_reported(tmp_path: Path, turns: str, error: str) -> None:
    body = "\n".join("      " + line for line in turns.splitlines())
    write_script(tmp_path, f"dialogues:\n  - name: x\n    title: X\n    turns:\n{body}\n")
    with pytest.raises(ScriptError, match=error):
        load_dialogues(tmp_path)


# --- comparison -------------------------------------------------------------------------------------
def test_matching_dialogue_passes(dialogue: Any) -> None:
    t = tracker(user("Hej"), bot("nav.greet"), user("Hjælper massage?"), bot("neck.treatment.massage"),
                slot("urgency", "none"))
    result = compare(dialogue, split_tracker(t))
    assert result.passed
    assert [r.status for r in result.exchanges[1].rows] == ["equal"]


def test_mismatch_keeps_expected_and_actual(dialogue: Any) -> None:
    t = tracker(user("Hej"), bot("nav.greet"), user("Hjælper massage?"), bot("nav.not_covered"),
                bot("nav.default"), slot("urgency", "soon"))
    result = compare(dialogue, split_tracker(t))
    assert not result.passed
    assert result.failed_exchanges == [1]
    rows = result.exchanges[1].rows
    assert [(r.status, r.expected) for r in rows] == [("changed", "neck.treatment.massage"), ("unexpected", None)]
    assert [result.exchanges[1].bot[r.actual].content_id for r in rows] == ["nav.not_covered", "nav.default"]
    check = result.exchanges[1].slot_checks[0]
    assert (check.name, check.expected, check.actual, check.ok) == ("urgency", "none", "soon", False)


def test_missing_message_and_wildcards(tmp_path: Path) -> None:
    write_script(tmp_path, "name: w\ntitle: W\nturns:\n  - user: a\n  - bot: [nav.greet, '...', 'neck.*']\n")
    d = load_dialogues(tmp_path)[0]
    ok = compare(d, split_tracker(tracker(user("a"), bot("nav.greet"), bot("x"), bot("y"), bot("neck.q"))))
    assert ok.passed
    missing = compare(d, split_tracker(tracker(user("a"), bot("nav.greet"))))
    assert [r.status for r in missing.exchanges[0].rows] == ["equal", "missing"]


def test_boundaries_keep_an_undelivered_message_in_place(dialogue: Any) -> None:
    t = tracker(user("Hej"), bot("nav.greet"))
    segments = split_tracker(t, boundaries=[0, 3, 3], sent=["Hej", "Hjælper massage?"],
                             errors=[None, "HTTP 429: too many"])
    result = compare(dialogue, segments)
    assert result.exchanges[0].ok
    problems = " ".join(result.exchanges[1].problems)
    assert "HTTP 429" in problems and "nåede ikke frem" in problems


def test_message_without_content_id_fails_an_expectation(dialogue: Any) -> None:
    t = tracker(user("Hej"), bot(None, "Rasa default"), user("x"), bot("neck.treatment.massage"))
    result = compare(dialogue, split_tracker(t))
    assert result.exchanges[0].rows[0].status == "changed"


# --- rendering --------------------------------------------------------------------------------------
def _site(tmp_path: Path, library: FakeLibrary, dialogue: Any, events: list[dict[str, Any]]) -> Path:
    result = compare(dialogue, split_tracker(tracker(*events)))
    cov = coverage_mod.compute(library, [result])
    out = tmp_path / "site"
    SiteBuilder(library, out, tmp_path).write([result], cov, RunInfo(generated_at=__import__("datetime")
                                                                       .datetime(2024, 5, 1, 12, 0)))
    return out


def test_page_shows_expected_vs_actual_on_mismatch(tmp_path: Path, library: FakeLibrary, dialogue: Any) -> None:
    out = _site(tmp_path, library, dialogue, [user("Hej"), bot("nav.greet"), user("Hjælper massage?"),
                                              bot("neck.treatment.acupuncture", recommendations=["neck.acupuncture"])])
    page = (out / "dialogues" / "massage.html").read_text()
    assert "Afvigelse fra scriptet" in page
    table = page[page.index('<table class="compare">'):]
    table = table[: table.index("</table>")]
    assert "<code>neck.treatment.massage</code>" in table and "<code>neck.treatment.acupuncture</code>" in table
    assert "anden besked end forventet" in table
    assert 'href="#massage-2"' in page  # the summary links to the deviating exchange
    index = (out / "index.html").read_text()
    assert "0 bestået, 1 fejlet" in index


def test_passing_page_annotates_source_strength_and_evidence(tmp_path: Path, library: FakeLibrary,
                                                             dialogue: Any) -> None:
    out = _site(tmp_path, library, dialogue, [
        user("Hej"), bot("nav.greet"), user("Hjælper massage?"),
        bot("neck.treatment.massage", "Massage **kun efter nøje overvejelse**",
            recommendations=["neck.massage"], kind="advice"), slot("urgency", "none")])
    page = (out / "dialogues" / "massage.html").read_text()
    assert "Afvigelse" not in page
    assert "<strong>kun efter nøje overvejelse</strong>" in page
    assert "Svag anbefaling imod" in page and "ikke angivet i quick guiden" in page
    assert 'href="../../content/messages/neck_treatment_massage.md#L7"' in page
    assert "content/messages/neck_treatment_massage.md:7" in page


def test_user_and_bot_text_are_escaped(tmp_path: Path, library: FakeLibrary, dialogue: Any) -> None:
    out = _site(tmp_path, library, dialogue, [
        user("Hej"), bot("nav.greet", "<script>alert('bot')</script> [ring](tel:112) [x](javascript:alert(1))"),
        user("Hjælper massage? <script>alert(1)</script>"), bot("neck.treatment.massage")])
    for page in (out / "dialogues" / "massage.html", out / "all.html"):
        html = page.read_text()
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert 'href="tel:112"' in html
        assert "javascript:" not in re.findall(r'href="([^"]*)"', html).__str__()
        assert "ikke tilladt" in html  # the refused link is pointed out to the clinician


def test_markdown_allows_only_safe_links() -> None:
    html = str(render_markdown("[a](https://sst.dk) [b](http://x.dk) [c](mailto:a@b.dk) <b>fed</b> ![i](https://x/i.png)"))
    assert 'href="https://sst.dk"' in html and 'href="mailto:a@b.dk"' in html
    assert 'href="http://x.dk"' not in html
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "<img" not in html


def test_print_stylesheet(tmp_path: Path, library: FakeLibrary, dialogue: Any) -> None:
    out = _site(tmp_path, library, dialogue, [user("Hej"), bot("nav.greet")])
    css = (out / "preview.css").read_text()
    media = css[css.index("@media print"):]
    assert re.search(r"nav[^{]*\{[^}]*display:\s*none", media)
    assert re.search(r"\.dialogue\s*\{[^}]*break-before:\s*page", media)
    assert 'content: " <" attr(href) ">"' in media
    assert "color: #000" in media and "background: #fff" in media
    for page in ("index.html", "all.html", "dialogues/massage.html"):
        assert 'rel="stylesheet"' in (out / page).read_text()


# --- coverage ---------------------------------------------------------------------------------------
def test_coverage_counts_what_the_bot_said(tmp_path: Path, library: FakeLibrary) -> None:
    write_script(tmp_path / "d", """
dialogues:
  - {name: ok, title: OK, turns: [{user: a}, {bot: [neck.treatment.massage]}]}
  - {name: bad, title: Bad, turns: [{user: a}, {bot: [neck.treatment.acupuncture]}]}
  - name: flag
    title: Flag
    turns: [{user: a}, {bot: [red_flags.neck_soon, safety.escalate_emergency]}, {expect_slots: {red_flag: neck_trauma}}]
""")
    ok, bad, flag = load_dialogues(tmp_path / "d")
    results = [
        compare(ok, split_tracker(tracker(user("a"), bot("neck.treatment.massage", recommendations=["neck.massage"])))),
        compare(bad, split_tracker(tracker(user("a"), bot("nav.greet")))),
        compare(flag, split_tracker(tracker(
            user("a"), slot("condition", "neck"), slot("urgency", "emergency"), slot("red_flag", "neck_trauma"),
            bot("red_flags.neck_soon", red_flag_question="neck_soon"),
            bot("safety.escalate_emergency", utter_action="utter_escalate_emergency", urgency="emergency",
                red_flag="neck_trauma")))),
    ]
    cov = coverage_mod.compute(library, results, ["neck.massage", "neck.new_one"])
    status = {r.id: r.status for r in cov.recommendations}
    assert status == {"neck.massage": "ok", "neck.acupuncture": "failing", "neck.mobilisation": "gap",
                      "neck.new_one": "missing"}
    flags = {r.id: r for r in cov.red_flags}
    assert flags["neck_trauma"].status == "ok" and flags["neck_soon"].status == "gap"
    assert [u.dialogue for u in flags["neck_soon"].asked_in] == ["flag"]
    assert [u.dialogue for u in cov.tiers[("emergency", "neck")]] == ["flag"]
    assert cov.tiers[("soon", "neck")] == []
    assert "»Ved ikke«" in cov.tier_notes[("same_day", "neck")]
    assert ("soon", "neck") not in cov.tier_notes  # neck_soon has a screening question


def test_source_recommendation_ids_reads_the_table(tmp_path: Path) -> None:
    (tmp_path / "recommendations.md").write_text("| id |\n|---|\n| `neck.a` | x |\n| `radiculopathy.b_c` | y |\n")
    assert coverage_mod.source_recommendation_ids(tmp_path) == ["neck.a", "radiculopathy.b_c"]


# --- flow diagram -----------------------------------------------------------------------------------
RULES = """
rules:
- rule: answer ask_massage
  steps: [{intent: ask_massage}, {action: utter_treatment_massage}]
- rule: massage during screening
  condition: [{active_loop: screening_form}]
  steps: [{intent: ask_massage}, {action: utter_screening_hint}, {action: screening_form},
          {active_loop: screening_form}]
- rule: greet during screening
  condition: [{active_loop: screening_form}]
  steps: [{intent: greet}, {action: utter_screening_hint}, {action: screening_form},
          {active_loop: screening_form}]
- rule: start screening
  steps: [{intent: describe_neck_pain}, {action: screening_form}, {active_loop: screening_form}]
- rule: red flag
  steps: [{intent: red_flag_emergency}, {action: utter_escalate_emergency}]
"""


def test_flow_dot_from_rules_and_forms(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "rules.yml").write_text(RULES)
    (data / "stories.yml").write_text("stories:\n- story: s\n  steps: [{intent: greet}, {action: utter_greet}]\n")
    (tmp_path / "domain.yml").write_text("forms:\n  screening_form:\n    required_slots: [rf_a, rf_b]\n")
    dot = build_dot(load_chains(data), load_forms(tmp_path / "domain.yml"))
    assert dot.startswith("digraph flow {") and dot.rstrip().endswith("}")
    # one-step rules become rows of one table; rules with a condition or several steps are drawn
    assert re.search(r"ask_massage</TD><TD>→</TD><TD [^>]*>utter_treatment_massage</TD>", dot)
    assert re.search(r">red_flag_emergency</TD><TD>→</TD><TD [^>]*>utter_escalate_emergency</TD>", dot)
    assert re.search(r'label="ask_massage, greet"', dot)  # same reaction -> one node listing both intents
    assert "når screening_form er aktiv" in dot
    assert "(2 spørgsmål)" in dot
    assert "style=dashed" in dot  # the story
    assert len(re.findall(r"^\s*a_screening_form \[", dot, re.MULTILINE)) == 1  # action nodes are shared


def test_flow_renders_with_graphviz(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "rules.yml").write_text(RULES)
    (tmp_path / "domain.yml").write_text("forms: {}\n")
    dot, images, problem = render_flow(data, tmp_path / "domain.yml", tmp_path / "out")
    assert dot.is_file()
    if problem and "ikke installeret" in problem:
        pytest.skip(problem)
    assert problem is None
    assert [p.name for p in images] == ["flow.svg", "flow.png"]
    assert "<svg" in images[0].read_text()


# --- the real scripts -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real() -> tuple[Any, list[Any]]:
    from bot.content import ContentError, load_library

    dialogues = load_dialogues(ROOT / "tests" / "dialogues")
    try:
        return load_library(), dialogues
    except ContentError as exc:  # the content linter's tests report this
        pytest.skip(f"content does not load: {exc}")


def test_scripts_name_existing_content(real: tuple[Any, list[Any]]) -> None:
    from bot.preview.compare import known_content_ids, unknown_content_ids

    lib, dialogues = real
    problems = [f"{d.name}: {f.message}" for d in dialogues for f in unknown_content_ids(d, known_content_ids(lib))]
    assert problems == []


def test_scripts_cover_every_recommendation_flag_and_tier(real: tuple[Any, list[Any]]) -> None:
    from bot.preview.compare import content_message

    lib, dialogues = real
    source = coverage_mod.source_recommendation_ids(ROOT.parent / "shared" / "guidelines") or list(lib.recommendations)
    cited = {r for d in dialogues for cid in d.expected_content_ids()
             for r in getattr(content_message(lib, cid), "recommendations", ())}
    assert sorted(set(source) - cited) == []
    flags = {str(x.expect_slots.get("red_flag")) for d in dialogues for x in d.exchanges}
    assert sorted({f.id for f in lib.red_flags} - flags) == []
    tiers = {(str(x.expect_slots.get("urgency")), str(x.expect_slots.get("condition") or t))
             for d in dialogues for x in d.exchanges for t in d.tags if t in ("neck", "radiculopathy")}
    for tier in ("emergency", "same_day", "soon"):
        for condition in ("neck", "radiculopathy"):
            assert (tier, condition) in tiers, (tier, condition)


# --- runner (fake bot, no server) -------------------------------------------------------------------
class FakeClient:
    """Answers like the REST channel; the second message is refused like a rate-limited one."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.calls = 0

    def tracker(self, sender: str) -> dict[str, Any]:
        return {"sender_id": sender, "events": list(self.events), "slots": {"urgency": "none"}}

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        import urllib.error

        self.calls += 1
        if self.calls == 2:
            raise urllib.error.HTTPError("http://x", 429, "Too Many Requests", {}, None)  # type: ignore[arg-type]
        self.events += [user(text, "greet"), bot("nav.greet", "Hej")]
        return [{"text": "Hej"}]


def test_runner_records_boundaries_and_errors(tmp_path: Path) -> None:
    from bot.preview.runner import run_dialogue

    write_script(tmp_path, "name: r\ntitle: R\nturns:\n  - {user: Hej}\n  - {bot: [nav.greet]}\n"
                           "  - {user: igen}\n  - {bot: [nav.greet]}\n  - {user: tredje}\n  - {bot: [nav.greet]}\n")
    d = load_dialogues(tmp_path)[0]
    rec = run_dialogue(FakeClient(), d)  # type: ignore[arg-type]
    assert rec.boundaries == [0, 2, 2, 4]
    assert rec.errors[0] is None and rec.errors[1].startswith("HTTP 429")
    result = compare(d, split_tracker(rec.tracker, rec.boundaries, rec.sent, rec.slots, rec.errors))
    assert [x.ok for x in result.exchanges] == [True, False, True]
    assert result.exchanges[2].segment.user == "tredje"


def test_render_only_rebuilds_site_and_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      real: tuple[Any, list[Any]]) -> None:
    import json

    from bot.preview.runner import main

    write_script(tmp_path / "d", "name: hello\ntitle: Hej\nturns:\n  - {user: Hej}\n  - {bot: [nav.greet]}\n")
    out = tmp_path / "out"
    (out / "trackers").mkdir(parents=True)
    t = tracker(user("Hej", "greet"), bot("nav.greet", "Hej", utter_action="utter_greet", kind="navigation"))
    (out / "trackers" / "hello.json").write_text(json.dumps(t))
    code = main(["--render-only", "--dialogues", str(tmp_path / "d"), "--out", str(out),
                 "--stories", str(tmp_path / "no-stories.yml")])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "1 passed, 0 failed"
    assert code == (0 if shutil.which("dot") else 1)  # a missing diagram is a problem of the run
    assert (out / "index.html").is_file() and (out / "dialogues" / "hello.html").is_file()
    assert (out / "flow.dot").is_file()


def test_rasa_test_stories_are_replayed_for_the_consistency_check() -> None:
    from bot.preview.script import load_story_dialogues

    dialogues = load_story_dialogues(settings.ROOT / "tests" / "stories" / "test_stories.yml")
    assert dialogues and all(d.name.startswith("story_") for d in dialogues)
    assert all(e.bot is None for d in dialogues for e in d.exchanges)  # replies are checked by rasa test
    assert any("hej" in d.user_messages for d in dialogues)
