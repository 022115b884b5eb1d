"""The written summary: only what this conversation said, plus the guideline's warning signs and source.

The neck guideline asks that written information agrees with what was said, so the advice parts are the
delivered texts themselves (never re-rendered, never looked up), and every statement keeps a pointer to
the bot event it came from so `bot.summary.consistency` can prove it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.content import TIER_RANK, Library, Message
from bot.summary.events import Conversation, Delivered, replay

# Responses holding the summary's Danish wording (content/messages/summary/*.md).
TEMPLATE = "utter_summary_part_template"
CONDITION_PART = "utter_summary_part_condition"
STRENGTH_PART = "utter_summary_part_strength"
SOURCE_PART = "utter_summary_part_source"
WITHHELD_PART = "utter_summary_part_withheld"
FILENAME_PART = "utter_summary_part_filename"
SEEK_HELP_PART = "utter_summary_part_seek_help_"  # + tier
EMPTY_RESPONSE = "utter_summary_empty"
BLOCKED_RESPONSE = "utter_summary_blocked"
INTRO_RESPONSE = "utter_summary"
# Safety messages that state the outcome of the conversation when nothing was escalated.
CLEAR_RESPONSES = ("utter_screening_clear",)
SEEK_HELP_TIERS = ("emergency", "same_day", "soon")
DEFAULT_BLOCKED_FROM = "same_day"

# Summary-only fields use {$name} so they never collide with slot placeholders the NLG fills.
FIELD_RE = re.compile(r"\{\$([A-Za-z][A-Za-z0-9]*)\}")
CONDITIONS = ("neck", "radiculopathy")


@dataclass(frozen=True)
class Statement:
    """One piece of advice in the summary and the delivered bot event it repeats."""

    section: str  # "reassurance" | "treatment"
    event_index: int
    content_id: str | None
    recommendations: tuple[str, ...]
    strengths: tuple[str, ...]  # as the summary states them (catalogue strengths)
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "event_index": self.event_index,
            "content_id": self.content_id,
            "recommendations": list(self.recommendations),
            "strengths": list(self.strengths),
        }


@dataclass
class Summary:
    """The summary as Markdown plus the structured facts the consistency check verifies."""

    markdown: str
    condition: str | None
    urgency: str
    date: str  # ISO date the summary is dated with
    statements: list[Statement] = field(default_factory=list)
    outcome_event: int | None = None  # index of the escalation/clear message repeated, if any
    guideline_versions: dict[str, str] = field(default_factory=dict)  # cited: guideline -> version
    red_flags: list[str] = field(default_factory=list)
    withheld: list[int] = field(default_factory=list)  # advice events left out because of urgency
    filename: str = ""
    content_version: str = ""

    @property
    def empty(self) -> bool:
        """True when the conversation has no condition yet: nothing to summarise."""
        return self.condition is None

    @property
    def recommendation_ids(self) -> list[str]:
        """Every recommendation the summary states, once, in order (for the message metadata)."""
        return list(dict.fromkeys(r for s in self.statements for r in s.recommendations))

    def to_dict(self) -> dict[str, Any]:
        return {
            "condition": self.condition,
            "urgency": self.urgency,
            "date": self.date,
            "statements": [s.to_dict() for s in self.statements],
            "outcome_event": self.outcome_event,
            "guideline_versions": dict(self.guideline_versions),
            "red_flags": list(self.red_flags),
            "withheld": list(self.withheld),
            "filename": self.filename,
            "content_version": self.content_version,
        }


def _message(lib: Library, response: str, condition: str | None) -> Message | None:
    """A summary template, or None when the content does not provide it (the part is then left out)."""
    try:
        message = lib.resolve(response, condition)
    except KeyError:
        return None
    return message if message.response == response else None


def fill(text: str, fields: Mapping[str, str]) -> str:
    """Replace {$name} fields; unknown ones become empty so a patient never sees braces."""
    return FIELD_RE.sub(lambda m: fields.get(m.group(1), ""), text)


def _render(lib: Library, response: str, condition: str | None, slots: Mapping[str, Any] | None = None,
            fields: Mapping[str, str] | None = None) -> str:
    message = _message(lib, response, condition)
    if message is None:
        return ""
    return fill(message.render(slots or {}), fields or {}).strip()


def assemble(template: str, fields: Mapping[str, str]) -> str:
    """Fill the template; a `## ` section whose fields are all empty is dropped (nothing to say)."""
    chunks: list[list[str]] = [[]]
    for line in template.splitlines():
        if line.startswith("## "):
            chunks.append([])
        chunks[-1].append(line)
    kept: list[str] = []
    for number, chunk in enumerate(chunks):
        text = "\n".join(chunk)
        names = FIELD_RE.findall(text)
        if number > 0 and names and not any(fields.get(n, "").strip() for n in names):
            continue
        kept.append(fill(text, fields).strip())
    markdown = "\n\n".join(k for k in kept if k)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


def summary_date(conv: Conversation, now: datetime | None = None) -> datetime:
    """The day of the patient's last message (so a rebuild of a stored conversation is identical)."""
    stamp = conv.last_user_timestamp or conv.last_timestamp
    if now is not None:
        return now
    return datetime.fromtimestamp(stamp) if stamp else datetime.now()


def blocked_from(lib: Library, item: Delivered) -> str:
    """The tier from which this advice may not be given (the content's, else the default)."""
    message = lib.messages.get(item.content_id or "")
    if message is not None and message.blocked_from in TIER_RANK:
        return min(message.blocked_from, DEFAULT_BLOCKED_FROM, key=TIER_RANK.__getitem__)
    return DEFAULT_BLOCKED_FROM


def belongs_to(item: Delivered, condition: str) -> bool:
    """Advice for this condition only: the message and every recommendation it cites."""
    if item.message_condition not in (condition, "both", None):
        return False
    return all(r.split(".", 1)[0] == condition for r in item.recommendations)


def _outcome(lib: Library, conv: Conversation, condition: str) -> Delivered | None:
    """The escalation for the final urgency (last one said), or the 'screening clear' message."""
    sources = conv.sources()
    if conv.urgency != "none":
        tier = conv.urgency
        # the escalation names the reason; a reminder only repeats what to do, so it is the fallback
        for responses in ({f"utter_escalate_{tier}"}, {f"utter_reminder_{tier}"}):
            ids = {m.id for r in responses if (m := _message(lib, r, condition)) is not None}
            for item in reversed(sources):
                if item.kind == "safety" and (
                        item.urgency_meta == tier or item.response in responses or item.content_id in ids):
                    return item
        return None
    for item in reversed(sources):
        if item.response in CLEAR_RESPONSES:
            return item
    return None


def _red_flag_lines(lib: Library, condition: str) -> str:
    """The condition's warning signs by tier, each under the editors' 'what to do' line."""
    blocks: list[str] = []
    for tier in SEEK_HELP_TIERS:
        flags = [f for f in lib.red_flags if f.tier == tier and condition in f.conditions]
        items = [f"- {f.question or f.reason}" for f in flags if (f.question or f.reason)]
        if not items:
            continue
        heading = _render(lib, SEEK_HELP_PART + tier, condition)
        blocks.append("\n".join(([heading, ""] if heading else []) + items))
    return "\n\n".join(blocks)


def build_summary(events: Sequence[Mapping[str, Any]], lib: Library, now: datetime | None = None) -> Summary:
    """The summary of the conversation in `events` (Rasa JSON events, oldest first)."""
    conv = replay(events)
    date = summary_date(conv, now)
    iso = date.date().isoformat()
    condition = conv.condition if conv.condition in CONDITIONS else None
    fields = {"date": date.strftime("%d.%m.%Y"), "isodate": iso}
    filename = _render(lib, FILENAME_PART, condition, fields=fields) or f"summary-{iso}.md"
    if condition is None:
        text = _render(lib, EMPTY_RESPONSE, None)
        return Summary(markdown=text + "\n" if text else "", condition=None, urgency=conv.urgency, date=iso,
                       filename=filename, content_version=lib.version)

    summary = Summary(markdown="", condition=condition, urgency=conv.urgency, date=iso, filename=filename,
                      content_version=lib.version)
    reassurance: list[str] = []
    treatments: list[str] = []
    seen: set[str] = set()
    for item in conv.sources():
        if not item.is_advice or not belongs_to(item, condition):
            continue
        if TIER_RANK[conv.urgency] >= TIER_RANK[blocked_from(lib, item)]:
            summary.withheld.append(item.index)
            continue
        key = item.content_id or f"#{item.index}"
        if key in seen or not item.text.strip():
            continue
        seen.add(key)
        strengths = tuple(
            lib.recommendations[r].strength if r in lib.recommendations else "" for r in item.recommendations
        )
        section = "treatment" if item.is_treatment else "reassurance"
        summary.statements.append(
            Statement(section, item.index, item.content_id, item.recommendations, strengths, item.text.strip())
        )
        if section == "treatment":
            lines = [item.text.strip()]
            for sid in dict.fromkeys(s for s in strengths if s in lib.strengths):
                strength = lib.strengths[sid]
                lines.append(_render(lib, STRENGTH_PART, condition, slots={
                    "strength_label": strength.label, "patient_phrase": strength.patient_phrase}))
            treatments.append("\n\n".join(line for line in lines if line))
        else:
            reassurance.append(item.text.strip())

    outcome = _outcome(lib, conv, condition)
    summary.outcome_event = outcome.index if outcome else None
    withheld_note = _render(lib, WITHHELD_PART, condition) if summary.withheld else ""

    guidelines = [condition] + [r.split(".", 1)[0] for s in summary.statements for r in s.recommendations]
    sources: list[str] = []
    for gid in dict.fromkeys(guidelines):
        guideline = lib.guidelines.get(gid)
        if guideline is None:
            continue
        summary.guideline_versions[gid] = guideline.version
        sources.append(_render(lib, SOURCE_PART, condition, slots={
            "guideline_title": guideline.title, "guideline_short_title": guideline.short_title,
            "status_text": guideline.status_text,
        }, fields={"version": guideline.version, "period": guideline.period,
                   "publisher": guideline.publisher}))

    summary.red_flags = [f.id for f in lib.red_flags if condition in f.conditions and f.tier in SEEK_HELP_TIERS]
    fields.update({
        "condition": _render(lib, CONDITION_PART, condition),
        "reassurance": "\n\n".join(reassurance),
        "treatments": "\n\n---\n\n".join(treatments) if len(treatments) > 1 else "".join(treatments),
        "outcome": outcome.text.strip() if outcome else "",
        "withheld": withheld_note,
        "redflags": _red_flag_lines(lib, condition),
        "sources": "\n".join(s for s in sources if s),
    })
    template = _message(lib, TEMPLATE, condition)
    if template is None:
        raise KeyError(TEMPLATE)
    summary.markdown = assemble(template.render({}), fields)
    return summary


def nothing_to_summarise(lib: Library) -> str:
    """The Danish 'nothing to summarise yet' text (for the HTTP route)."""
    return _render(lib, EMPTY_RESPONSE, None)


def blocked_text(lib: Library) -> str:
    """The Danish 'summary not possible' text (for the HTTP route)."""
    return _render(lib, BLOCKED_RESPONSE, None)
