"""The content library: resolution of a response to the right message for the patient's condition."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from bot import settings
from bot.content.catalogue import Catalogue, Guideline, Recommendation, Strength, load_catalogue
from bot.content.errors import ContentError, Finding
from bot.content.messages import Message, parse_message_file
from bot.content.red_flags import RedFlag, check_red_flags, flag_lines

NOT_COVERED = "utter_not_covered"
ASK_CONDITION_FIRST = "utter_ask_condition_first"
ANSWER_BUTTONS_RESPONSE = "utter_screening_hint"  # its buttons (Ja/Nej/Ved ikke) go on every screening question
CONDITIONS: tuple[str, ...] = ("neck", "radiculopathy")


def content_files(content_dir: Path) -> list[Path]:
    """Every file whose change must change the content version (README excluded: not patient-facing)."""
    files = sorted(content_dir.glob("*.yml")) + sorted((content_dir / "messages").rglob("*.md"))
    return [f for f in files if f.is_file()]


def content_version(content_dir: Path) -> str:
    """Short sha256 over names and bytes, so a summary or preview can cite exactly what it showed."""
    digest = hashlib.sha256()
    for path in content_files(content_dir):
        digest.update(path.relative_to(content_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


@dataclass
class Library:
    """All content, loaded and cross-referenced; read-only after construction."""

    content_dir: Path
    catalogue: Catalogue
    messages: dict[str, Message]
    red_flags: list[RedFlag]
    version: str
    _by_response: dict[str, dict[str, Message]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for message in self.messages.values():
            self._by_response.setdefault(message.response, {}).setdefault(message.condition, message)

    @property
    def guidelines(self) -> dict[str, Guideline]:
        return self.catalogue.guidelines

    @property
    def strengths(self) -> dict[str, Strength]:
        return self.catalogue.strengths

    @property
    def evidence_labels(self) -> dict[str, str]:
        return self.catalogue.evidence_labels

    @property
    def recommendations(self) -> dict[str, Recommendation]:
        return self.catalogue.recommendations

    def responses(self) -> set[str]:
        """Every response content can render, including utter_ask_rf_<id> for each screening question."""
        return set(self._by_response)

    def messages_for(self, response: str) -> dict[str, Message]:
        """Messages of one response keyed by condition ("neck", "radiculopathy", "both")."""
        return dict(self._by_response.get(response, {}))

    def resolve(self, response: str, condition: str | None) -> Message:
        """The message for this condition; never another guideline's advice (see docs/architecture.md)."""
        by_condition = self._by_response.get(response)
        if not by_condition:
            raise KeyError(response)
        if condition not in CONDITIONS:
            condition = None
        if condition is not None and condition in by_condition:
            return by_condition[condition]
        if "both" in by_condition:
            return by_condition["both"]
        if condition is None:
            if response == ASK_CONDITION_FIRST:
                raise KeyError(response)
            return self.resolve(ASK_CONDITION_FIRST, None)
        if response == NOT_COVERED:
            raise KeyError(response)
        return self.resolve(NOT_COVERED, condition)

    def recommendation(self, rid: str) -> Recommendation:
        """One recommendation by id; KeyError when unknown."""
        return self.catalogue.recommendations[rid]

    def red_flag(self, flag_id: str) -> RedFlag:
        """One red flag by id; KeyError when unknown."""
        for flag in self.red_flags:
            if flag.id == flag_id:
                return flag
        raise KeyError(flag_id)

    def sequence(self, name: str, condition: str) -> list[Message]:
        """Messages of a named sequence for this condition, in `order`."""
        found = [
            m for m in self.messages.values() if m.sequence == name and m.condition in (condition, "both")
        ]
        return sorted(found, key=lambda m: (m.order if m.order is not None else 0, m.id))

    def evidence_label(self, rec: Recommendation) -> str:
        """Danish evidence label; ungraded good practice and the ungraded neck guide say so."""
        if rec.evidence:
            return self.evidence_labels.get(rec.evidence, rec.evidence)
        key = "consensus" if rec.strength.startswith("good_practice") else "not_graded"
        return self.evidence_labels.get(key, "")

    def source_fields(self, rid: str) -> dict[str, str]:
        """Template fields for the "Hvor kommer rådet fra?" answer about one recommendation."""
        rec = self.recommendation(rid)
        guideline = self.guidelines[rec.guideline]
        strength = self.strengths[rec.strength]
        return {
            "guideline_title": guideline.title,
            "guideline_short_title": guideline.short_title,
            "strength_label": strength.label,
            "patient_phrase": strength.patient_phrase,
            "evidence_label": self.evidence_label(rec),
            "status_text": guideline.status_text,
            "recommendation_text": rec.text,
        }


def _question_messages(flags: list[RedFlag], answers: Message | None, path: Path) -> list[Message]:
    """One screening-question message per flag with a question; answer buttons come from the hint."""
    lines = flag_lines(path)
    return [
        Message(
            id=f"red_flags.{flag.id}",
            response=flag.ask_response,
            condition="both",
            kind="safety",
            recommendations=(),
            body=flag.question,
            buttons=[dict(b) for b in answers.buttons] if answers else [],
            path=path,
            line=lines.get(flag.id, 1),
        )
        for flag in flags
        if flag.question is not None
    ]


def build_library(content_dir: Path | None = None) -> tuple[Library, list[Finding]]:
    """Parse everything, keeping what is usable, and return it with all parse-level findings."""
    content_dir = Path(content_dir or settings.CONTENT_DIR)
    findings: list[Finding] = []
    catalogue, found = load_catalogue(content_dir / "guidelines.yml")
    findings += found
    flags_path = content_dir / "red_flags.yml"
    flags, found = check_red_flags(flags_path)
    findings += found

    messages: dict[str, Message] = {}
    message_dir = content_dir / "messages"
    if not message_dir.is_dir():
        findings.append(Finding(message_dir, 1, "FM000", "mappen messages/ findes ikke"))
    for path in sorted(message_dir.rglob("*.md")) if message_dir.is_dir() else []:
        message, found = parse_message_file(path)
        findings += found
        if message is None:
            continue
        if message.id in messages:
            first = messages[message.id]
            findings.append(Finding(path, message.field_lines.get("id", 1), "ID001",
                                    f"id '{message.id}' bruges også i {first.path}"))
            continue
        messages[message.id] = message

    answers = next((m for m in messages.values() if m.response == ANSWER_BUTTONS_RESPONSE), None)
    for message in _question_messages(flags, answers, flags_path):
        messages.setdefault(message.id, message)
    version = content_version(content_dir) if content_dir.is_dir() else "0" * 12
    return Library(content_dir, catalogue, messages, flags, version), findings


def load_library(content_dir: Path | None = None) -> Library:
    """Load and check content; raises ContentError when any error-severity finding exists."""
    from bot.content.checks import check_library  # local import: checks needs Library

    library, findings = build_library(content_dir)
    findings += check_library(library)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise ContentError(errors)
    return library
