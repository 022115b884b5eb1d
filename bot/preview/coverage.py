"""Which recommendations, red flags and escalation tiers the preview actually shows to clinicians.

Coverage counts what the bot *said* in a run (metadata of its messages), not what a script hoped
for: a recommendation only counts as shown by a dialogue whose bot message cited it. The script's
expectations are listed too, so a gap caused by a failing dialogue is told apart from a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.preview.compare import BotMessage, DialogueResult, content_message

TIERS: tuple[str, ...] = ("emergency", "same_day", "soon")
CONDITIONS: tuple[str, ...] = ("neck", "radiculopathy")
_REC_ROW_RE = re.compile(r"^\|\s*`((?:neck|radiculopathy)\.[a-z0-9_]+)`\s*\|", re.MULTILINE)


def source_recommendation_ids(guidelines_dir: Path) -> list[str]:
    """The recommendation ids of the source of truth (recommendations.md), in document order."""
    path = guidelines_dir / "recommendations.md"
    if not path.is_file():
        return []
    return list(dict.fromkeys(_REC_ROW_RE.findall(path.read_text(encoding="utf-8"))))


@dataclass
class Use:
    """A dialogue that touches an item, and whether that dialogue passed."""

    dialogue: str
    title: str
    passed: bool


@dataclass
class CoverageRow:
    """One recommendation or red flag and the dialogues that show it."""

    id: str
    shown_in: list[Use] = field(default_factory=list)  # the bot's message in the run cited/escalated it
    expected_in: list[Use] = field(default_factory=list)  # the script expects a message citing it
    asked_in: list[Use] = field(default_factory=list)  # red flags: screening question asked
    in_library: bool = True
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        """ok: a passing dialogue shows it; failing: only failing ones do; gap: no dialogue does."""
        if not self.in_library:
            return "missing"
        if any(u.passed for u in self.shown_in):
            return "ok"
        if self.shown_in or self.expected_in:
            return "failing"
        return "gap"


@dataclass
class Coverage:
    """Everything the index page's coverage tables need."""

    recommendations: list[CoverageRow]
    red_flags: list[CoverageRow]
    tiers: dict[tuple[str, str], list[Use]]  # (tier, condition) -> dialogues escalating at that tier
    tier_notes: dict[tuple[str, str], str]

    @property
    def recommendation_gaps(self) -> list[str]:
        return [r.id for r in self.recommendations if r.status != "ok"]

    @property
    def red_flag_gaps(self) -> list[str]:
        return [r.id for r in self.red_flags if r.status != "ok"]


def _add(uses: list[Use], result: DialogueResult) -> None:
    if not any(u.dialogue == result.dialogue.name for u in uses):
        uses.append(Use(result.dialogue.name, result.dialogue.title, result.passed))


def is_escalation(message: BotMessage) -> bool:
    meta = message.metadata
    return str(meta.get("utter_action") or "").startswith("utter_escalate_") or (
        meta.get("urgency") in TIERS and bool(meta.get("red_flag"))
    )


def escalation_tier(message: BotMessage) -> str | None:
    meta = message.metadata
    if meta.get("urgency") in TIERS:
        return str(meta["urgency"])
    action = str(meta.get("utter_action") or "")
    tier = action.removeprefix("utter_escalate_")
    return tier if tier in TIERS else None


def _flag_asked(message: BotMessage) -> str | None:
    if message.metadata.get("red_flag_question"):
        return str(message.metadata["red_flag_question"])
    action = str(message.metadata.get("utter_action") or "")
    if action.startswith("utter_ask_rf_"):
        return action.removeprefix("utter_ask_rf_")
    cid = message.content_id or ""
    if cid.startswith("red_flags."):
        return cid.removeprefix("red_flags.").removesuffix(".question")
    return None


def compute(library: Any, results: list[DialogueResult], source_ids: list[str] | None = None) -> Coverage:
    """Coverage of the 22 recommendations, the red flags and tier x condition over all results."""
    rec_ids = list(library.recommendations)
    for rid in source_ids or []:
        if rid not in rec_ids:
            rec_ids.append(rid)
    recs = {rid: CoverageRow(rid, in_library=rid in library.recommendations) for rid in rec_ids}
    for rid, row in recs.items():
        if row.in_library:
            rec = library.recommendation(rid)
            strength = library.strengths.get(rec.strength)
            row.info = {
                "guideline": rec.guideline,
                "strength": strength.label if strength else rec.strength,
                "symbol": strength.symbol if strength else "",
                "evidence": library.evidence_label(rec),
                "text": rec.text,
            }
    flags = {f.id: CoverageRow(f.id, info={"tier": f.tier, "conditions": list(f.conditions),
                                           "question": f.question, "reason": f.reason})
             for f in library.red_flags}
    tiers: dict[tuple[str, str], list[Use]] = {(t, c): [] for t in TIERS for c in CONDITIONS}

    for result in results:
        for cid in result.dialogue.expected_content_ids():
            message = content_message(library, cid)
            for rid in getattr(message, "recommendations", ()) or ():
                if rid in recs:
                    _add(recs[rid].expected_in, result)
        for exchange in result.dialogue.exchanges:
            flag = exchange.expect_slots.get("red_flag")
            if flag in flags:
                _add(flags[flag].expected_in, result)
        for x in result.exchanges:
            slots = x.segment.slots if x.segment else {}
            for message in x.bot:
                for rid in message.metadata.get("recommendations") or []:
                    if rid in recs:
                        _add(recs[rid].shown_in, result)
                asked = _flag_asked(message)
                if asked in flags:
                    _add(flags[asked].asked_in, result)
                if is_escalation(message):
                    flag = message.metadata.get("red_flag") or slots.get("red_flag")
                    if flag in flags:
                        _add(flags[flag].shown_in, result)
                    tier = escalation_tier(message)
                    condition = slots.get("condition") or message.metadata.get("condition")
                    if tier and condition in CONDITIONS:
                        _add(tiers[(tier, condition)], result)

    notes: dict[tuple[str, str], str] = {}
    for tier in TIERS:
        for condition in CONDITIONS:
            screened = [f for f in library.red_flags
                        if f.tier == tier and condition in f.conditions and f.question]
            free_text = [f for f in library.red_flags
                         if f.tier == tier and (condition in f.conditions or not f.conditions) and f.patterns]
            via_unsure = [f for f in library.red_flags
                          if f.if_unsure == tier and f.tier != tier and condition in f.conditions and f.question]
            if screened:
                continue
            parts = ["Intet screeningsspørgsmål på dette niveau for denne tilstand."]
            if via_unsure:
                parts.append("»Ved ikke« til et mere akut spørgsmål giver dette niveau.")
            if free_text:
                parts.append("Fri tekst kan udløse det: " + ", ".join(f.id for f in free_text) + ".")
            notes[(tier, condition)] = " ".join(parts)
    return Coverage(list(recs.values()), list(flags.values()), tiers, notes)
