"""Consistency check: written advice must agree with what was said, and what was said with the catalogue.

Runs before a summary is sent (severe findings block it) and over any stored conversation (CI runs it
on every scripted dialogue). Findings carry ids and codes only, never message text, so they can be
logged and stored.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.content import TIER_RANK, Library
from bot.summary.builder import Summary, belongs_to, blocked_from, build_summary
from bot.summary.events import Conversation, Delivered, current_session_start, events_of, replay

log = logging.getLogger(__name__)

SEVERE = "severe"
WARNING = "warning"
RULES_FILE = "consistency.yml"


@dataclass(frozen=True)
class ConsistencyFinding:
    """One problem, pointing at the event and the content/recommendation ids involved."""

    code: str
    severity: str
    message: str
    event_index: int | None = None
    content_id: str | None = None
    recommendation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "event_index": self.event_index,
            "content_id": self.content_id,
            "recommendation": self.recommendation,
        }


@dataclass
class Report:
    """Outcome of a check; `ok` is False as soon as one finding is severe."""

    findings: list[ConsistencyFinding] = field(default_factory=list)
    summary: Summary | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not any(f.severity == SEVERE for f in self.findings)

    @property
    def severe(self) -> list[ConsistencyFinding]:
        return [f for f in self.findings if f.severity == SEVERE]

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "findings": [f.to_dict() for f in self.findings]}

    def log(self, logger: logging.Logger = log, sender: str | None = None) -> None:
        """Ids and codes at WARNING; never message text (that would put health data in logs)."""
        for f in self.findings:
            level = logging.WARNING if f.severity == SEVERE else logging.INFO
            logger.log(level, "consistency %s %s sender=%s event=%s content=%s recommendation=%s",
                       f.severity, f.code, sender, f.event_index, f.content_id, f.recommendation)


# --- rules from content/consistency.yml --------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    """One side of a contradiction: recommendations cited and/or phrases said."""

    recommendations: frozenset[str]
    content_ids: frozenset[str]
    phrases: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Contradiction:
    """Two things that cannot both be told to one patient."""

    id: str
    a: Side
    b: Side


@dataclass(frozen=True)
class Rules:
    contradictions: tuple[Contradiction, ...]
    negations: tuple[str, ...]
    negation_window: int


def _phrase(text: str) -> re.Pattern[str]:
    """A phrase matches whole words, any whitespace between them, case-insensitively."""
    words = [re.escape(w) for w in str(text).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _side(raw: Any) -> Side:
    raw = raw if isinstance(raw, Mapping) else {}
    return Side(
        recommendations=frozenset(str(r) for r in raw.get("recommendations") or []),
        content_ids=frozenset(str(c) for c in raw.get("content_ids") or []),
        phrases=tuple(_phrase(p) for p in raw.get("phrases") or [] if str(p).strip()),
    )


def parse_rules(raw: Any) -> Rules:
    """Rules from the parsed YAML (a missing or empty file means no contradiction rules)."""
    raw = raw if isinstance(raw, Mapping) else {}
    items = []
    for number, item in enumerate(raw.get("contradictions") or [], start=1):
        if not isinstance(item, Mapping):
            raise ValueError(f"{RULES_FILE}: contradiction {number} is not a mapping")
        items.append(Contradiction(str(item.get("id") or f"rule_{number}"), _side(item.get("a")),
                                   _side(item.get("b"))))
    negations = tuple(str(n).lower() for n in raw.get("negations") or [])
    return Rules(tuple(items), negations, int(raw.get("negation_window") or 4))


@lru_cache(maxsize=8)
def _load_rules_cached(path: str, mtime_ns: int) -> Rules:
    return parse_rules(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def load_rules(lib: Library) -> Rules:
    """content/consistency.yml next to the library's other content (reloaded when it changes)."""
    path = Path(lib.content_dir) / RULES_FILE
    if not path.is_file():
        return Rules((), (), 4)
    return _load_rules_cached(str(path), path.stat().st_mtime_ns)


def _says(pattern: re.Pattern[str], text: str, rules: Rules) -> bool:
    """The phrase occurs at least once without a negation in the few words before it."""
    for match in pattern.finditer(text):
        before = re.findall(r"\w+", text[: match.start()].lower())[-rules.negation_window:]
        window = " ".join(before)
        if not any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", window) for n in rules.negations):
            return True
    return False


def _matches(side: Side, item: Delivered, rules: Rules) -> bool:
    if side.recommendations & set(item.recommendations) or (item.content_id in side.content_ids):
        return True
    return any(_says(p, item.text, rules) for p in side.phrases)


# --- the checks ------------------------------------------------------------------------------------

def _catalogue_findings(item: Delivered, lib: Library) -> list[ConsistencyFinding]:
    """Strength metadata equals the catalogue's current strength; the phrase for it was said."""
    found = []
    if item.recommendations and item.strengths is None:
        found.append(ConsistencyFinding("STRENGTH_MISSING", SEVERE,
                                        "advice message carries no strengths metadata", item.index,
                                        item.content_id, item.recommendations[0]))
        return found
    if item.strengths is not None and len(item.strengths) != len(item.recommendations):
        found.append(ConsistencyFinding("STRENGTH_MISSING", SEVERE,
                                        "strengths metadata does not match recommendations one to one",
                                        item.index, item.content_id))
    text = item.text.lower()
    for rid in item.recommendations:
        rec = lib.recommendations.get(rid)
        if rec is None:
            found.append(ConsistencyFinding("UNKNOWN_RECOMMENDATION", SEVERE,
                                            f"recommendation {rid} is not in the catalogue", item.index,
                                            item.content_id, rid))
            continue
        said = item.strength_of(rid)
        if said is not None and said != rec.strength:
            found.append(ConsistencyFinding("STRENGTH_MISMATCH", SEVERE,
                                            f"message said strength {said}, catalogue says {rec.strength}",
                                            item.index, item.content_id, rid))
        strength = lib.strengths.get(rec.strength)
        if strength and strength.patient_phrase.lower() not in text:
            found.append(ConsistencyFinding("PHRASE_MISSING", WARNING,
                                            f"text lacks the patient phrase for {rec.strength}", item.index,
                                            item.content_id, rid))
    return found


def _state_findings(item: Delivered, lib: Library) -> list[ConsistencyFinding]:
    """Advice only for the patient's condition, and never once urgency says to seek help instead."""
    found = []
    if item.condition is None:
        found.append(ConsistencyFinding("ADVICE_WITHOUT_CONDITION", SEVERE,
                                        "advice given before the condition was known", item.index,
                                        item.content_id, item.recommendations[0] if item.recommendations
                                        else None))
    else:
        if item.message_condition not in (None, "both", item.condition):
            found.append(ConsistencyFinding("OTHER_CONDITION", SEVERE,
                                            f"message for {item.message_condition} given to a "
                                            f"{item.condition} patient", item.index, item.content_id))
        for rid in item.recommendations:
            if rid.split(".", 1)[0] != item.condition:
                found.append(ConsistencyFinding("OTHER_CONDITION", SEVERE,
                                                f"recommendation from another guideline given to a "
                                                f"{item.condition} patient", item.index, item.content_id, rid))
    limit = blocked_from(lib, item)
    if TIER_RANK[item.urgency] >= TIER_RANK[limit]:
        found.append(ConsistencyFinding("ADVICE_AFTER_ESCALATION", SEVERE,
                                        f"advice given at urgency {item.urgency} (withheld from {limit})",
                                        item.index, item.content_id,
                                        item.recommendations[0] if item.recommendations else None))
    if item.content_id and item.content_id not in lib.messages:
        found.append(ConsistencyFinding("CONTENT_UNKNOWN", WARNING,
                                        "content id not in the current content", item.index, item.content_id))
    return found


def _contradiction_findings(items: Sequence[Delivered], rules: Rules) -> list[ConsistencyFinding]:
    """Two different messages on opposite sides of a rule (safety messages may override advice)."""
    found = []
    candidates = [d for d in items if d.kind != "safety" and not d.is_summary]
    for rule in rules.contradictions:
        side_a = [d for d in candidates if _matches(rule.a, d, rules)]
        side_b = [d for d in candidates if _matches(rule.b, d, rules)]
        pairs = [(x, y) for x in side_a for y in side_b if x.index != y.index]
        if pairs:
            first, second = min(pairs, key=lambda p: max(p[0].index, p[1].index))
            later = first if first.index > second.index else second
            other = second if later is first else first
            found.append(ConsistencyFinding("CONTRADICTION", SEVERE,
                                            f"rule {rule.id}: contradicts event {other.index} "
                                            f"({other.content_id})", later.index, later.content_id,
                                            later.recommendations[0] if later.recommendations else None))
    return found


def _escalation_findings(conv: Conversation, lib: Library) -> list[ConsistencyFinding]:
    """A raised urgency must have been told to the patient (the summary repeats that message)."""
    if conv.urgency == "none" or not conv.urgency_raises:
        return []
    index, tier = max(conv.urgency_raises, key=lambda r: (TIER_RANK[r[1]], -r[0]))
    for item in conv.delivered:
        if item.index < index or item.kind != "safety":
            continue
        if item.urgency_meta == tier or item.response in (f"utter_escalate_{tier}", f"utter_reminder_{tier}"):
            return []
    severity = SEVERE if TIER_RANK[tier] >= TIER_RANK["same_day"] else WARNING
    return [ConsistencyFinding("ESCALATION_MISSING", severity,
                               f"urgency {tier} was set but no {tier} escalation message was delivered", index)]


def _summary_findings(summary: Summary, conv: Conversation, lib: Library) -> list[ConsistencyFinding]:
    """Every advice statement in the summary repeats a delivered message: same id, same strength."""
    found = []
    by_index = {d.index: d for d in conv.delivered}
    for statement in summary.statements:
        item = by_index.get(statement.event_index)
        if item is None or item.is_summary or item.content_id != statement.content_id:
            found.append(ConsistencyFinding("SUMMARY_UNTRACED", SEVERE,
                                            "summary statement has no delivered message behind it",
                                            statement.event_index, statement.content_id))
            continue
        for rid, strength in zip(statement.recommendations, statement.strengths, strict=False):
            if rid not in item.recommendations or item.strength_of(rid) != strength:
                found.append(ConsistencyFinding("SUMMARY_UNTRACED", SEVERE,
                                                f"summary states {rid} as {strength or 'unknown'}, the "
                                                f"conversation said {item.strength_of(rid) or 'nothing'}",
                                                item.index, item.content_id, rid))
        if statement.text != item.text.strip():
            found.append(ConsistencyFinding("SUMMARY_TEXT_CHANGED", SEVERE,
                                            "summary wording differs from the delivered message",
                                            item.index, item.content_id))
        for rid in statement.recommendations:
            gid = rid.split(".", 1)[0]
            said = item.guideline_versions.get(gid)
            cited = summary.guideline_versions.get(gid)
            if said is None:
                found.append(ConsistencyFinding("VERSION_MISSING", WARNING,
                                                f"message metadata names no version of guideline {gid}",
                                                item.index, item.content_id, rid))
            elif said != cited:
                found.append(ConsistencyFinding("VERSION_MISMATCH", SEVERE,
                                                f"summary cites guideline {gid} version {cited!r}, the "
                                                f"message was given under {said!r}", item.index,
                                                item.content_id, rid))
    for item in conv.sources():
        if item.is_advice and belongs_to(item, summary.condition or "") and item.index not in {
            s.event_index for s in summary.statements} and item.index not in summary.withheld:
            duplicate = any(s.content_id == item.content_id for s in summary.statements)
            if not duplicate and item.text.strip():
                found.append(ConsistencyFinding("SUMMARY_INCOMPLETE", WARNING,
                                                "delivered advice is missing from the summary", item.index,
                                                item.content_id))
    if summary.outcome_event is None and conv.urgency != "none":
        severity = SEVERE if TIER_RANK[conv.urgency] >= TIER_RANK["same_day"] else WARNING
        found.append(ConsistencyFinding("SUMMARY_NO_OUTCOME", severity,
                                        f"summary cannot repeat what to do at urgency {conv.urgency}"))
    return found


def _stored_summary_findings(conv: Conversation, events: Sequence[Mapping[str, Any]],
                             lib: Library) -> list[ConsistencyFinding]:
    """A summary already sent: its recommendations repeat earlier messages, its text a rebuild."""
    found = []
    for item in conv.delivered:
        if not item.is_summary:
            continue
        earlier = [d for d in conv.sources() if d.index < item.index]
        for rid in item.recommendations:
            said = [d for d in earlier if rid in d.recommendations]
            if not said:
                found.append(ConsistencyFinding("SUMMARY_UNTRACED", SEVERE,
                                                "sent summary cites a recommendation never said before it",
                                                item.index, item.content_id, rid))
            elif item.strength_of(rid) is not None and all(
                    d.strength_of(rid) != item.strength_of(rid) for d in said):
                found.append(ConsistencyFinding("SUMMARY_UNTRACED", SEVERE,
                                                "sent summary gives another strength than the conversation",
                                                item.index, item.content_id, rid))
        stored = item.custom.get("summary_markdown")
        if isinstance(stored, str):
            start = current_session_start(events[: item.index])
            rebuilt = build_summary(events[start: item.index], lib)
            if rebuilt.markdown.strip() != stored.strip():
                found.append(ConsistencyFinding("SUMMARY_STALE", WARNING,
                                                "sent summary differs from a rebuild with the current content",
                                                item.index, item.content_id))
    return found


def check(events: Sequence[Mapping[str, Any]] | Mapping[str, Any], library: Library,
          summary: Summary | None = None) -> Report:
    """Check a conversation (Rasa JSON events or a tracker dict) and the summary it would get."""
    events = events_of(events)
    start = current_session_start(events)
    session = events[start:]
    conv = replay(session)
    offset = start

    def shift(finding: ConsistencyFinding) -> ConsistencyFinding:
        if finding.event_index is None or not offset:
            return finding
        return ConsistencyFinding(finding.code, finding.severity, finding.message,
                                  finding.event_index + offset, finding.content_id, finding.recommendation)

    findings: list[ConsistencyFinding] = []
    for item in conv.delivered:
        if item.is_summary:
            continue
        findings += _catalogue_findings(item, library)
        if item.is_advice:
            findings += _state_findings(item, library)
    findings += _contradiction_findings(conv.delivered, load_rules(library))
    findings += _escalation_findings(conv, library)
    findings += _stored_summary_findings(conv, session, library)
    if summary is None:
        summary = build_summary(session, library)
    if not summary.empty:
        findings += _summary_findings(summary, conv, library)
    findings = list(dict.fromkeys(shift(f) for f in findings))
    findings.sort(key=lambda f: (f.severity != SEVERE, f.event_index if f.event_index is not None else -1,
                                 f.code))
    return Report(findings, summary)


def check_tracker(tracker: Mapping[str, Any] | Sequence[Mapping[str, Any]], library: Library) -> Report:
    """CI entry: check one saved tracker (Rasa's tracker JSON or a bare event list)."""
    return check(events_of(tracker), library)


def tracker_files(paths: Iterable[Path]) -> list[Path]:
    """Every *.json file named, or inside a named folder (e.g. build/preview/trackers/)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.json") if p.is_file())
        else:
            files.append(path)
    return files


def check_tracker_file(path: Path, library: Library) -> Report:
    """Check a tracker JSON file as saved by the preview runner or `GET /conversations/<id>/tracker`."""
    return check_tracker(json.loads(Path(path).read_text(encoding="utf-8")), library)
