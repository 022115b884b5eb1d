"""Content linter: each rule names the file and line an editor must fix; the real content passes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import settings
from bot.content import Finding, lint

FLAGS = """\
flags:
  - id: ces_sphincter
    tier: emergency
    conditions: [radiculopathy]
    question: Har du fået besvær med at tisse eller holde på afføringen?
    if_unsure: emergency
    reason: Besvær med at tisse kan være tegn på tryk på nerverne i lænden.
    patterns: ["kan ikke tisse"]
"""
NO_DOMAIN = Path("/nonexistent/domain.yml")


def content_copy(tmp_path: Path) -> Path:
    """The real messages and guideline catalogue, plus a known red_flags.yml, in a scratch dir."""
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    (content / "red_flags.yml").write_text(FLAGS, encoding="utf-8")
    return content


def message(front: str, body: str) -> str:
    """A message file: line 1 '---', front matter from line 2, body right after the closing '---'."""
    return f"---\n{front.strip()}\n---\n{body.strip()}\n"


NECK_ADVICE = """\
id: test.advice
response: utter_test_advice
condition: neck
kind: advice
recommendations: [neck.massage]
"""  # recommendations on line 6, body on line 8


def write(content: Path, rel: str, text: str) -> Path:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edit(content: Path, rel: str, old: str, new: str) -> Path:
    path = content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing `needle` (so cases survive wording edits)."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def run(content: Path, domain: Path = NO_DOMAIN, data: Path | None = None) -> list[Finding]:
    return lint(content, domain, data or content / "no-data")


def assert_finding(findings: list[Finding], code: str, path: Path, line: int, severity: str = "error") -> None:
    hits = [f for f in findings if f.code == code and f.path == path]
    assert hits, f"no {code} for {path}; got: {[str(f) for f in findings]}"
    assert any(f.line == line and f.severity == severity for f in hits), [str(f) for f in hits]


def _body_line(path: Path) -> int:
    """First body line: the line after the closing '---' of the front matter."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines.index("---", 1) + 2


# Each case: (name, mutate(content) -> (path, line), code)
Case = Callable[[Path], tuple[Path, int]]


def unknown_recommendation(c: Path) -> tuple[Path, int]:
    return write(c, "messages/x.md", message(NECK_ADVICE.replace("neck.massage", "neck.masage"),
                                             "Massage bruges **kun efter nøje overvejelse**.")), 6


def missing_id(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/navigation/thanks.md", "id: nav.thanks\n", ""), 1


def duplicate_id(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/navigation/thanks.md", "id: nav.thanks", "id: nav.goodbye"), 2


def invalid_condition(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/navigation/goodbye.md", "condition: both", "condition: ryg"), 4


def invalid_button(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/navigation/greet.md", 'payload: "/describe_neck_pain"', 'payload: "nakke"'), 7


def broken_yaml(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/navigation/goodbye.md", "kind: navigation", "kind: [navigation"), 6


def duplicate_response(c: Path) -> tuple[Path, int]:
    return write(c, "messages/navigation/goodbye2.md", message(
        "id: nav.goodbye2\nresponse: utter_goodbye\ncondition: both\nkind: navigation\nrecommendations: []",
        "Farvel.")), 3


def urging_against(c: Path) -> tuple[Path, int]:
    return write(c, "messages/x.md", message(
        NECK_ADVICE, "Massage bruges **kun efter nøje overvejelse**.\nMen prøv det bare, det virker godt.")), 9


def recommended_without_qualifier(c: Path) -> tuple[Path, int]:
    return write(c, "messages/x.md", message(
        NECK_ADVICE, "Massage bruges **kun efter nøje overvejelse**.\n\nMassage anbefales til alle.")), 10


def too_absolute_for_weak(c: Path) -> tuple[Path, int]:
    path = edit(c, "messages/neck/treatment_topical_nsaid.md", "**kan overvejes** ved",
                "**kan overvejes** og skal bruges ved")
    return path, line_of(path, "skal bruges")


def cure_promise(c: Path) -> tuple[Path, int]:
    path = edit(c, "messages/neck/treatment_acupuncture.md", "I Danmark kræver",
                "Det kan helbrede dig. I Danmark kræver")
    return path, line_of(path, "helbrede")


def missing_strength_phrase(c: Path) -> tuple[Path, int]:
    path = edit(c, "messages/neck/treatment_massage.md", "**kun efter nøje overvejelse**", "sjældent")
    return path, _body_line(path)


def other_guideline(c: Path) -> tuple[Path, int]:
    return write(c, "messages/x.md", message(NECK_ADVICE.replace("neck.massage", "radiculopathy.mri"),
                                             "MR bruges **kun efter nøje overvejelse**.")), 6


def advice_without_recommendation(c: Path) -> tuple[Path, int]:
    return write(c, "messages/x.md", message(NECK_ADVICE.replace("[neck.massage]", "[]"), "Et råd.")), 6


def uncited_recommendation(c: Path) -> tuple[Path, int]:
    (c / "messages/neck/treatment_massage.md").unlink()
    lines = (c / "guidelines.yml").read_text(encoding="utf-8").splitlines()
    return c / "guidelines.yml", lines.index("  - id: neck.massage") + 1


def unclosed_bold(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/navigation/goodbye.md", "Tak for snakken", "**Tak for snakken"), 8


def broken_link(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/navigation/human.md", "kontakt din egen læge", "kontakt [din egen læge(https://x.dk)"), 8


def html_tag(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/navigation/goodbye.md", "Tak for snakken", "<b>Tak</b> for snakken"), 8


def unsafe_link(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/navigation/goodbye.md", "kontakt din læge", "kontakt [din læge](javascript:alert(1))"), 8


def http_link(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/navigation/goodbye.md", "kontakt din læge", "kontakt [din læge](http://x.dk)"), 8


def unknown_placeholder(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/navigation/goodbye.md", "Tak for snakken", "Tak for snakken {navn}"), 8


def emergency_without_112(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/safety/escalate_emergency.md", "Ring 112 nu.", "Det er alvorligt. Ring 112."), 8


def not_serious_without_block(c: Path) -> tuple[Path, int]:
    path = edit(c, "messages/neck/reassurance_pain.md", "blocked_from: soon\n", "")
    return path, line_of(path, "ikke det samme som vævsskade")


def region_number(c: Path) -> tuple[Path, int]:
    return edit(c, "messages/safety/escalate_same_day.md", "ring til lægevagten", "ring 1813"), 8


def red_flag_missing_field(c: Path) -> tuple[Path, int]:
    return edit(c, "red_flags.yml", "    reason: Besvær med at tisse kan være tegn på tryk på nerverne i lænden.\n",
                ""), 2


def red_flag_unknown_tier(c: Path) -> tuple[Path, int]:
    return edit(c, "red_flags.yml", "tier: emergency", "tier: urgent"), 3


def red_flag_not_yes_no(c: Path) -> tuple[Path, int]:
    return edit(c, "red_flags.yml", "Har du fået besvær", "Hvornår fik du besvær"), 5


def red_flag_check_topics_without_question(c: Path) -> tuple[Path, int]:
    """A topic makes the bot ask the flag's question: a flag without one cannot have topics."""
    path = c / "red_flags.yml"
    text = path.read_text(encoding="utf-8").replace(
        "    question: Har du fået besvær med at tisse eller holde på afføringen?\n", "    question: null\n")
    path.write_text(text + '    check_topics: ["tisse"]\n', encoding="utf-8")
    return path, 9


def red_flag_duplicate_id(c: Path) -> tuple[Path, int]:
    path = c / "red_flags.yml"
    path.write_text(FLAGS + FLAGS.removeprefix("flags:\n"), encoding="utf-8")
    return path, 9


CASES: list[tuple[Case, str]] = [
    (unknown_recommendation, "REC001"), (missing_id, "FM002"), (duplicate_id, "ID001"),
    (invalid_condition, "FM003"), (invalid_button, "BTN001"), (broken_yaml, "YAML001"),
    (duplicate_response, "RESP001"), (urging_against, "STR002"), (recommended_without_qualifier, "STR002"),
    (too_absolute_for_weak, "STR003"), (cure_promise, "STR003"), (missing_strength_phrase, "STR001"),
    (other_guideline, "REC003"), (advice_without_recommendation, "REC002"), (uncited_recommendation, "REC004"),
    (unclosed_bold, "MD001"), (broken_link, "MD002"), (html_tag, "MD003"), (unsafe_link, "MD004"),
    (http_link, "MD004"), (emergency_without_112, "SAFE001"), (not_serious_without_block, "SAFE004"),
    (region_number, "SAFE002"), (red_flag_missing_field, "RF002"), (red_flag_unknown_tier, "RF003"),
    (red_flag_not_yes_no, "RF007"), (red_flag_duplicate_id, "RF005"),
    (red_flag_check_topics_without_question, "RF010"),
]


@pytest.mark.parametrize(("mutate", "code"), CASES, ids=[f"{c}-{m.__name__}" for m, c in CASES])
def test_rule_fires_with_file_and_line(tmp_path: Path, mutate: Case, code: str) -> None:
    content = content_copy(tmp_path)
    assert not [f for f in run(content) if f.severity == "error"], "copy must start clean"
    path, line = mutate(content)
    assert_finding(run(content), code, path, line)


def test_unknown_placeholder_is_an_error_once_slots_are_known(tmp_path: Path) -> None:
    content = content_copy(tmp_path)
    path, line = unknown_placeholder(content)
    assert_finding(run(content), "PH001", path, line, severity="warning")
    domain = tmp_path / "domain.yml"
    domain.write_text("slots:\n  condition: {type: text}\nresponses:\n  utter_goodbye:\n  - text: x\n")
    assert_finding(run(content, domain), "PH001", path, line)


def test_domain_and_stories_are_cross_checked(tmp_path: Path) -> None:
    content = content_copy(tmp_path)
    domain = tmp_path / "domain.yml"
    domain.write_text(
        "slots:\n  condition: {type: text}\n"
        "responses:\n  utter_goodbye:\n  - text: x\n  utter_missing:\n  - text: x\n"
        "actions:\n- action_summary\n- utter_also_missing\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    write(data, "rules.yml", "rules:\n- rule: r\n  steps:\n  - intent: greet\n  - action: utter_from_rule\n")
    findings = run(content, domain, data)
    assert_finding(findings, "DOM001", domain, 6)
    assert_finding(findings, "DOM001", domain, 10)
    assert_finding(findings, "DOM001", data / "rules.yml", 5)
    thanks = content / "messages/navigation/thanks.md"
    assert_finding(findings, "DOM002", thanks, 3, severity="warning")


def test_form_slot_without_a_question_is_reported(tmp_path: Path) -> None:
    content = content_copy(tmp_path)
    domain = tmp_path / "domain.yml"
    domain.write_text("forms:\n  screening_form:\n    required_slots:\n    - rf_unknown\n", encoding="utf-8")
    assert_finding(run(content, domain), "DOM003", domain, 2)


def test_missing_domain_is_only_a_warning(tmp_path: Path) -> None:
    findings = run(content_copy(tmp_path))
    assert [f.code for f in findings if f.code.startswith("DOM")] == ["DOM000"]
    assert all(f.severity == "warning" for f in findings)


def test_finding_reads_as_path_line_code_message() -> None:
    finding = Finding(Path("content/messages/a.md"), 7, "MD001", "fed er ikke lukket")
    assert str(finding) == "content/messages/a.md:7: MD001 fed er ikke lukket"


def test_real_content_has_no_errors_without_domain(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    if not (content / "red_flags.yml").exists():
        (content / "red_flags.yml").write_text(FLAGS, encoding="utf-8")
    errors = [str(f) for f in run(content) if f.severity == "error"]
    assert not errors


def test_real_content_agrees_with_the_real_domain() -> None:
    if not (settings.CONTENT_DIR / "red_flags.yml").exists():
        pytest.skip("content/red_flags.yml not written yet (safety helper)")
    errors = [str(f) for f in lint() if f.severity == "error"]
    assert not errors


def test_cli_prints_findings_and_fails_on_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("lint_content", settings.ROOT / "scripts" / "lint_content.py")
    assert spec and spec.loader
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)
    content = content_copy(tmp_path)
    assert cli.main(["--content", str(content), "--domain", str(NO_DOMAIN)]) == 0
    path, line = unclosed_bold(content)
    assert cli.main(["--content", str(content), "--domain", str(NO_DOMAIN)]) == 1
    out = capsys.readouterr().out
    assert f":{line}: MD001" in out and "goodbye.md" in out and "1 fejl" in out


def test_broken_red_flag_pattern_is_named_with_file_and_line(tmp_path: Path) -> None:
    content = content_copy(tmp_path)
    path = edit(content, "red_flags.yml", 'patterns: ["kan ikke tisse"]', 'patterns: ["(kan ikke tisse"]')
    findings = run(content)
    hits = [f for f in findings if f.code == "RF010"]
    assert hits and hits[0].path == path and hits[0].severity == "error"
    assert hits[0].line > 1
