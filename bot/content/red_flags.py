"""Red-flag catalogue (content/red_flags.yml): one typed record per warning sign.

The safety helper owns the YAML and the detector; this module only turns the file into data (and
explains problems with file and line), so the screening form, the detector and the linter agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import settings
from bot.content import yamlutil
from bot.content.errors import ContentError, Finding

TIERS: tuple[str, ...] = ("emergency", "same_day", "soon")
TIER_RANK: dict[str, int] = {"none": 0, "soon": 1, "same_day": 2, "emergency": 3}
CONDITIONS: tuple[str, ...] = ("neck", "radiculopathy")

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# Danish question words: a question starting with one of these cannot be answered ja/nej.
_HV_WORDS = {
    "hvad", "hvor", "hvornår", "hvordan", "hvorfor", "hvem", "hvilken", "hvilket", "hvilke", "hvis",
    "hvorhenne", "hvormeget",
}
_NEGATED_START = re.compile(r"^\s*(har|er|kan|gør|mærker|føler|oplever)\s+du\s+ikke\b", re.IGNORECASE)


@dataclass(frozen=True)
class RedFlag:
    """A warning sign; form slot is ``rf_<id>``, its screening question response ``utter_ask_rf_<id>``."""

    id: str
    tier: str
    conditions: tuple[str, ...]
    question: str | None
    if_unsure: str | None
    reason: str
    patterns: tuple[str, ...]
    negatable: bool = True
    # words about the sign's body area or function ("tisse", "skridtet"): when a message has one of
    # these but no pattern fired, the bot asks this flag's question instead of guessing
    check_topics: tuple[str, ...] = ()
    # raised by the learned safety net (bot/safety/learned.py), not by patterns
    learned: bool = False

    @property
    def slot(self) -> str:
        """Form slot holding the patient's answer."""
        return f"rf_{self.id}"

    @property
    def ask_response(self) -> str:
        """Response that asks the screening question."""
        return f"utter_ask_rf_{self.id}"


def default_path() -> Path:
    """Resolved at call time so tests can point CONTENT_DIR elsewhere."""
    return settings.CONTENT_DIR / "red_flags.yml"


def _as_tuple(value: Any) -> tuple[str, ...]:
    """Accept a single string or a list in YAML; editors write both."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return (str(value),)


def _opt_str(value: Any) -> str | None:
    """Empty strings mean 'not set' so a blank YAML value never becomes a question."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def is_yes_no_question(question: str) -> bool:
    """A screening question must be answerable with ja/nej: ends in '?', no hv-word first."""
    text = question.strip()
    if not text.endswith("?"):
        return False
    first = re.split(r"\s+", text, maxsplit=1)[0].strip("»«\"'(").lower()
    return first not in _HV_WORDS


def check_red_flags(path: Path | None = None) -> tuple[list[RedFlag], list[Finding]]:
    """Parse red_flags.yml; return the usable flags and every problem found (with line numbers)."""
    path = path or default_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], [Finding(path, 1, "RF000", "red_flags.yml findes ikke (faresignalerne mangler)")]
    raw, error = yamlutil.safe_load(text)
    if error:
        return [], [Finding(path, error[0], "YAML001", f"ugyldig YAML: {error[1]}")]
    if not isinstance(raw, dict) or not isinstance(raw.get("flags"), list):
        return [], [Finding(path, 1, "RF001", "red_flags.yml skal have en liste under 'flags:'")]

    root = yamlutil.compose(text)
    top_lines = yamlutil.mapping_key_lines(root)
    item_lines = yamlutil.sequence_item_lines(yamlutil.mapping_value(root, "flags"))
    findings: list[Finding] = []
    flags: list[RedFlag] = []
    seen: dict[str, int] = {}
    tier_list = ", ".join(TIERS)

    def add(line: int, code: str, message: str, severity: str = "error") -> None:
        findings.append(Finding(path, line, code, message, severity))

    tiers = raw.get("tiers")
    tiers_line = top_lines.get("tiers", 1)
    if tiers is not None and not isinstance(tiers, dict):
        add(tiers_line, "RF009", "'tiers:' skal være en mapping")
    elif isinstance(tiers, dict):
        for name in tiers:
            if name not in TIERS:
                add(tiers_line, "RF003", f"ukendt tier '{name}' under 'tiers:' (brug {tier_list})")

    for index, item in enumerate(raw["flags"]):
        line, keys = item_lines[index] if index < len(item_lines) else (top_lines.get("flags", 1), {})
        where = f"flag nr. {index + 1}"

        def at(key: str, _keys: dict[str, int] = keys, _line: int = line) -> int:
            return _keys.get(key, _line)

        if not isinstance(item, dict):
            add(line, "RF002", f"{where} er ikke en mapping med felter")
            continue
        before = len(findings)
        for field in ("id", "tier", "reason"):
            if not _opt_str(item.get(field)):
                add(line, "RF002", f"{where} mangler feltet '{field}'")
        flag_id = str(item.get("id") or "").strip()
        if flag_id:
            where = f"flag '{flag_id}'"
            if not _ID_RE.match(flag_id):
                add(at("id"), "RF004", f"{where}: id skal være snake_case (små bogstaver, tal, _)")
            if flag_id in seen:
                add(at("id"), "RF005", f"{where}: id bruges også i linje {seen[flag_id]}")
            else:
                seen[flag_id] = at("id")
        tier = str(item.get("tier") or "").strip()
        if tier and tier not in TIERS:
            add(at("tier"), "RF003", f"{where}: ukendt tier '{tier}' (brug {tier_list})")
        unsure = _opt_str(item.get("if_unsure"))
        if unsure is not None and unsure not in TIERS:
            add(at("if_unsure"), "RF003", f"{where}: ukendt if_unsure '{unsure}' (brug {tier_list})")
        conditions = _as_tuple(item.get("conditions"))
        for condition in conditions:
            if condition not in CONDITIONS:
                add(at("conditions"), "RF006", f"{where}: ukendt condition '{condition}'")
        question = _opt_str(item.get("question"))
        if question is not None:
            if not conditions:
                add(at("question"), "RF006", f"{where}: et screeningsspørgsmål kræver 'conditions'")
            if not is_yes_no_question(question):
                add(at("question"), "RF007", f"{where}: skal være et ja/nej-spørgsmål, der ender på '?'")
            elif _NEGATED_START.match(question):
                add(at("question"), "RF007", f"{where}: nægtende spørgsmål gør 'ja' uklart")
        patterns = _as_tuple(item.get("patterns"))
        is_learned = bool(item.get("learned", False))
        if is_learned:
            if patterns or question is not None:
                add(at("learned"), "RF011", f"{where}: et 'learned' flag må hverken have 'question' eller 'patterns'")
        elif not patterns and question is None:
            add(line, "RF008", f"{where}: har hverken 'question' eller 'patterns' og kan aldrig udløses")
        elif not patterns:
            add(line, "RF008", f"{where}: ingen 'patterns', så fri tekst kan ikke opdage det", "warning")
        check_topics = _as_tuple(item.get("check_topics"))
        if check_topics and question is None:
            add(at("check_topics"), "RF010", f"{where}: 'check_topics' kræver et 'question', som kan stilles")
        if any(f.severity == "error" for f in findings[before:]):
            continue
        flags.append(
            RedFlag(
                id=flag_id,
                tier=tier,
                conditions=conditions,
                question=question,
                if_unsure=unsure,
                reason=str(item.get("reason") or "").strip(),
                patterns=patterns,
                negatable=bool(item.get("negatable", True)),
                check_topics=check_topics,
                learned=is_learned,
            )
        )
    learned = raw.get("learned")
    if isinstance(learned, dict) and not any(f.learned and f.id == str(learned.get("flag")) for f in flags):
        message = f"'learned: flag: {learned.get('flag')}' skal være et flag med 'learned: true'"
        add(top_lines.get("learned", 1), "RF012", message)
    return flags, findings


def load_red_flags(path: Path | None = None) -> list[RedFlag]:
    """Load every flag; raises ContentError when any flag is broken (never serve half a safety net)."""
    flags, findings = check_red_flags(path)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise ContentError(errors)
    return flags


def flag_lines(path: Path | None = None) -> dict[str, int]:
    """Line of each flag's question (or of the flag itself), so previews and findings can point at it."""
    path = path or default_path()
    try:
        root = yamlutil.compose(path.read_text(encoding="utf-8"))
    except OSError:
        return {}
    seq = yamlutil.mapping_value(root, "flags")
    result: dict[str, int] = {}
    if not isinstance(seq, yamlutil.yaml.SequenceNode):
        return result
    for item in seq.value:
        id_node = yamlutil.mapping_value(item, "id")
        if id_node is None or not isinstance(id_node.value, str):
            continue
        keys = yamlutil.mapping_key_lines(item)
        result.setdefault(id_node.value.strip(), keys.get("question", item.start_mark.line + 1))
    return result
