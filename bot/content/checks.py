"""Content checks that need no Rasa files: run on every load, so a broken edit never reaches a patient."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

from bot.content.errors import Finding
from bot.content.library import ANSWER_BUTTONS_RESPONSE, ASK_CONDITION_FIRST, NOT_COVERED, Library
from bot.content.messages import PLACEHOLDER_RE, Message
from bot.content.red_flags import TIER_RANK

# Fields the NLG fills besides slots; anything else in {braces} must be a slot.
TEMPLATE_FIELDS: frozenset[str] = frozenset({
    "red_flag_reason", "guideline_title", "guideline_short_title", "strength_label", "patient_phrase",
    "evidence_label", "status_text", "recommendation_text",
})
# Slots named in docs/architecture.md, known even before domain.yml exists.
ARCHITECTURE_SLOTS: frozenset[str] = frozenset({"condition", "urgency", "red_flag"})
# Responses resolution and safety depend on: they must exist for condition "both".
REQUIRED_BOTH: tuple[str, ...] = (
    NOT_COVERED, ASK_CONDITION_FIRST, "utter_escalate_emergency", "utter_escalate_same_day",
    "utter_escalate_soon", "utter_reminder_emergency", "utter_reminder_same_day", "utter_action_failure",
)
ALLOWED_SCHEMES: tuple[str, ...] = ("https", "mailto", "tel")

AGAINST = ("weak_against", "good_practice_against", "strong_against")
NOT_STRONG = ("weak_for", "weak_against", "good_practice_for", "good_practice_against")

# Wording that urges a treatment the guideline advises against (or only after careful consideration).
_URGING = [
    (re.compile(r"\bprøv\b", re.IGNORECASE), "'prøv'"),
    (re.compile(r"\bdu bør\b(?!\s+ikke)", re.IGNORECASE), "'du bør'"),
    (re.compile(r"\b(virker|hjælper)\s+(rigtig\s+|meget\s+)?godt\b", re.IGNORECASE), "'virker/hjælper godt'"),
    (re.compile(r"\bgod idé\b", re.IGNORECASE), "'god idé'"),
]
_RECOMMEND = re.compile(r"\banbefale[rs]?\b|\banbefalet\b", re.IGNORECASE)
# Wording too absolute for a weak or good-practice recommendation.
_ABSOLUTE = [(re.compile(r"\bskal\b", re.IGNORECASE), "'skal'")]
# Promises no guideline makes.
_CURE = [
    (re.compile(r"\bhelbred\w*", re.IGNORECASE), "'helbrede'"),
    (re.compile(r"\bkurer\w*", re.IGNORECASE), "'kurere'"),
    (re.compile(r"\bgaranti\w*", re.IGNORECASE), "'garanti'"),
    (re.compile(r"\bfjern\w*\s+(smerterne|smerten)\b", re.IGNORECASE), "'fjerner smerterne'"),
    (re.compile(r"\bvirker\s+altid\b", re.IGNORECASE), "'virker altid'"),
]
# A claim that the pain is not serious: only safe while no warning sign at all is known.
_NOT_SERIOUS = re.compile(
    r"ikke\s+(er\s+)?(et\s+)?tegn\s+på\s+(en\s+)?alvorlig|ikke\s+(er\s+)?alvorlig|ikke\s+farlig|ufarlig"
    r"|ikke\s+lig\s+med\s+vævsskade|ikke\s+det\s+samme\s+som\s+(en\s+)?(vævs)?skade",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LINK_HREF = re.compile(r"\]\(\s*<?([^)\s>]*)")
_STRAY_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>?")

_md = MarkdownIt("commonmark")


def _line_of(text: str, index: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, index)


def _texts(message: Message) -> list[tuple[str, int, str]]:
    """(text, first line, label) for the body and each variation (variations point at their key)."""
    var_line = message.field_lines.get("variations", message.line)
    items = [(message.body, message.line, "teksten")]
    items += [(v, var_line, f"variation {n}") for n, v in enumerate(message.variations, start=1)]
    return items


def markdown_findings(text: str, path: Path, first_line: int) -> list[Finding]:
    """Broken or unsafe Markdown: unclosed emphasis, broken links, HTML, unsafe link schemes."""
    found: list[Finding] = []

    def add(line: int, code: str, message: str) -> None:
        finding = Finding(path, line, code, message)
        if finding not in found:
            found.append(finding)

    source = PLACEHOLDER_RE.sub("PLACEHOLDER", text)
    for match in _LINK_HREF.finditer(source):
        href = match.group(1)
        scheme = href.split(":", 1)[0].lower() if ":" in href else ""
        if scheme not in ALLOWED_SCHEMES:
            add(_line_of(source, match.start(), first_line), "MD004",
                f"link '{href}' er ikke tilladt: brug https:, mailto: eller tel:")
    for token in _md.parse(source):
        line = first_line + (token.map[0] if token.map else 0)
        if token.type == "html_block":
            add(line, "MD003", "HTML er ikke tilladt i beskeder (usikkert); brug Markdown")
        if token.type != "inline":
            continue
        if token.content.count("(") != token.content.count(")"):
            add(line, "MD002", "parenteserne ( ) er ikke parret")
        offset = 0
        in_link = False
        for child in token.children or []:
            here = line + offset
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif child.type == "html_inline":
                add(here, "MD003", f"HTML-tag {child.content!r} er ikke tilladt (usikkert); brug Markdown")
            elif child.type == "link_open":
                in_link = True
                href = str(child.attrs.get("href", ""))
                scheme = href.split(":", 1)[0].lower() if ":" in href else ""
                if scheme not in ALLOWED_SCHEMES:
                    add(here, "MD004", f"link '{href}' er ikke tilladt: brug https:, mailto: eller tel:")
            elif child.type == "link_close":
                in_link = False
            elif child.type == "text" and not in_link:
                content = child.content
                if "*" in content or "_" in content:
                    add(here, "MD001", "fed/kursiv er ikke lukket: ** eller _ mangler sin partner")
                if "[" in content or "]" in content:
                    add(here, "MD002", "ødelagt link: brug [tekst](https://...) med parrede [ ] og ( )")
                if _STRAY_TAG.search(content):
                    add(here, "MD003", "noget der ligner HTML ('<...>') er ikke tilladt")
    return found


def _wording_findings(message: Message, library: Library) -> list[Finding]:
    """Strength phrase present; no wording that contradicts the strength; no cure promises."""
    found: list[Finding] = []
    strengths = [
        library.recommendations[r].strength for r in message.recommendations if r in library.recommendations
    ]
    if not strengths:
        return found
    for text, first_line, label in _texts(message):
        lowered = text.lower()
        for sid in dict.fromkeys(strengths):
            strength = library.strengths.get(sid)
            if strength and strength.patient_phrase.lower() not in lowered:
                found.append(Finding(message.path, first_line, "STR001",
                                     f"{label} mangler styrke-udtrykket '{strength.patient_phrase}' "
                                     f"({strength.label})"))
        labels = ", ".join(library.strengths[s].label.lower() for s in dict.fromkeys(strengths))
        checks = list(_CURE)
        if all(s in NOT_STRONG for s in strengths):
            checks += _ABSOLUTE
        for pattern, word in checks:
            for match in pattern.finditer(text):
                found.append(Finding(message.path, _line_of(text, match.start(), first_line), "STR003",
                                     f"{word} lover mere end retningslinjen ({labels})"))
        if any(s in AGAINST for s in strengths):
            for pattern, word in _URGING:
                for match in pattern.finditer(text):
                    found.append(Finding(message.path, _line_of(text, match.start(), first_line), "STR002",
                                         f"{word} opfordrer til en behandling, som retningslinjen kun "
                                         "anbefaler efter nøje overvejelse"))
            position = 0
            for sentence in _SENTENCE_END.split(text):
                start = text.find(sentence, position)
                position = max(start, 0) + len(sentence)
                low = sentence.lower()
                qualified = "kun efter nøje overvejelse" in low or " ikke " in f" {low} "
                if _RECOMMEND.search(sentence) and not qualified:
                    found.append(Finding(message.path, _line_of(text, max(start, 0), first_line), "STR002",
                                         "'anbefales' uden 'kun efter nøje overvejelse' modsiger styrken"))
    return found


def _placeholder_findings(message: Message, slots: set[str] | None, rf_slots: set[str]) -> list[Finding]:
    """{name} must be a slot or a field the NLG fills; otherwise the patient sees a hole."""
    found: list[Finding] = []
    allowed = TEMPLATE_FIELDS | ARCHITECTURE_SLOTS | rf_slots | (slots or set())
    for text, first_line, _label in _texts(message):
        for match in PLACEHOLDER_RE.finditer(text):
            name = match.group(1)
            if name in allowed:
                continue
            severity = "error" if slots is not None else "warning"
            hint = "" if slots is not None else " (domain.yml mangler, så slots kan ikke tjekkes)"
            found.append(Finding(message.path, _line_of(text, match.start(), first_line), "PH001",
                                 f"ukendt pladsholder {{{name}}}: ikke et slot eller kendt felt{hint}",
                                 severity))
    return found


def _safety_findings(message: Message) -> list[Finding]:
    """Rules that keep escalation clear and reassurance away from patients with warning signs."""
    found: list[Finding] = []
    at = message.field_lines.get
    if message.response == "utter_escalate_emergency":
        first_sentence = _SENTENCE_END.split(message.body.strip(), maxsplit=1)[0]
        if "112" not in first_sentence:
            found.append(Finding(message.path, message.line, "SAFE001",
                                 "første sætning i akut-beskeden skal nævne 112 (fx 'Ring 112 nu.')"))
    if message.response.startswith("utter_escalate_") and "{red_flag_reason}" not in message.body:
        found.append(Finding(message.path, message.line, "SAFE005",
                             "eskaleringen skal bruge {red_flag_reason}, så patienten hører hvorfor"))
    for text, first_line, _label in _texts(message):
        for match in re.finditer(r"\b1813\b", text):
            if "region hovedstaden" not in text.lower():
                found.append(Finding(message.path, _line_of(text, match.start(), first_line), "SAFE002",
                                     "1813 gælder kun Region Hovedstaden: skriv det, eller nævn lægevagten"))
    if message.kind == "advice":
        blocked = message.blocked_from
        if blocked is None or TIER_RANK[blocked] > TIER_RANK["same_day"]:
            found.append(Finding(message.path, at("blocked_from", 1), "SAFE003",
                                 "råd skal holdes tilbage ved mistanke om alvorlige tegn: "
                                 "blocked_from skal være same_day eller soon"))
        for text, first_line, _label in _texts(message):
            match = _NOT_SERIOUS.search(text)
            if match and (blocked is None or TIER_RANK[blocked] > TIER_RANK["soon"]):
                found.append(Finding(message.path, _line_of(text, match.start(), first_line), "SAFE004",
                                     "beroligelse om, at det ikke er alvorligt, kræver 'blocked_from: soon'"))
                break
    return found


def _recommendation_findings(message: Message, library: Library) -> list[Finding]:
    """Known ids, the right guideline for the condition, and advice that actually cites one."""
    found: list[Finding] = []
    line = message.field_lines.get("recommendations", 1)
    if message.kind == "advice" and not message.recommendations:
        found.append(Finding(message.path, line, "REC002", "kind: advice kræver mindst én anbefaling"))
    if message.kind != "advice" and message.recommendations:
        found.append(Finding(message.path, line, "REC002",
                             f"kind: {message.kind} må ikke have anbefalinger; brug kind: advice"))
    for rid in message.recommendations:
        rec = library.recommendations.get(rid)
        if rec is None:
            found.append(Finding(message.path, line, "REC001", f"ukendt anbefaling '{rid}'"))
        elif message.condition == "both":
            found.append(Finding(message.path, line, "REC003",
                                 f"'{rid}' hører til én retningslinje; en 'both'-besked må ikke citere den"))
        elif rec.guideline != message.condition:
            found.append(Finding(message.path, line, "REC003",
                                 f"'{rid}' er fra retningslinjen '{rec.guideline}', men beskeden er for "
                                 f"'{message.condition}'"))
    return found


def check_library(library: Library, slots: set[str] | None = None) -> list[Finding]:
    """Every content-only rule; `slots` (from domain.yml) makes unknown placeholders errors."""
    found: list[Finding] = []
    rf_slots = {flag.slot for flag in library.red_flags}
    seen: dict[tuple[str, str], Message] = {}
    cited: set[str] = set()
    for message in sorted(library.messages.values(), key=lambda m: (str(m.path), m.line)):
        if message.path.suffix == ".md":
            key = (message.response, message.condition)
            if key in seen:
                found.append(Finding(message.path, message.field_lines.get("response", 1), "RESP001",
                                     f"{message.response} for '{message.condition}' findes også i "
                                     f"{seen[key].path}"))
            else:
                seen[key] = message
        cited.update(message.recommendations)
        found += _recommendation_findings(message, library)
        if message.kind == "advice":
            found += _wording_findings(message, library)
        found += _safety_findings(message)
        found += _placeholder_findings(message, slots, rf_slots)
        for text, first_line, _label in _texts(message):
            found += markdown_findings(text, message.path, first_line)
    for rid, rec in library.recommendations.items():
        if rid not in cited:
            found.append(Finding(library.catalogue.path, rec.line, "REC004",
                                 f"anbefalingen '{rid}' bruges ikke i nogen besked"))
    for response in REQUIRED_BOTH:
        if "both" not in library.messages_for(response):
            found.append(Finding(library.content_dir / "messages", 1, "REQ001",
                                 f"{response} mangler (med condition: both); botten har brug for den"))
    if any(f.question for f in library.red_flags):
        hint = library.messages_for(ANSWER_BUTTONS_RESPONSE).get("both")
        if hint is None or len(hint.buttons) < 2:
            where = hint.path if hint else library.content_dir / "messages"
            found.append(Finding(where, 1, "REQ001",
                                 f"{ANSWER_BUTTONS_RESPONSE} (condition: both) skal have svar-knapperne "
                                 "til screeningsspørgsmålene (Ja/Nej/Ved ikke)"))
    return found
