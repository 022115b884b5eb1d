"""One Markdown file per patient message: YAML front matter + Markdown body."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.content import yamlutil
from bot.content.errors import Finding
from bot.content.red_flags import TIERS

KINDS: tuple[str, ...] = ("advice", "safety", "navigation")
MESSAGE_CONDITIONS: tuple[str, ...] = ("neck", "radiculopathy", "both")
REQUIRED_FIELDS: tuple[str, ...] = ("id", "response", "condition", "kind", "recommendations")
OPTIONAL_FIELDS: tuple[str, ...] = ("buttons", "variations", "blocked_from", "sequence", "order", "notes")
DEFAULT_BLOCKED_FROM: dict[str, str | None] = {"advice": "same_day", "safety": None, "navigation": None}

PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_GAP_RE = re.compile(r"(?<=\S) {2,}(?=\S)")  # "a  b" left by an empty placeholder
_CONTENT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")
_RESPONSE_RE = re.compile(r"^utter_[a-z0-9_]+$")
_PAYLOAD_RE = re.compile(r"^/[a-z][a-z0-9_]*(\{.*\})?$")


@dataclass(frozen=True)
class Message:
    """A patient-facing message; the words are the editors', resolution and rendering are the code's."""

    id: str
    response: str
    condition: str
    kind: str
    recommendations: tuple[str, ...]
    body: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    variations: list[str] = field(default_factory=list)
    blocked_from: str | None = None
    sequence: str | None = None
    order: int | None = None
    path: Path = Path()
    line: int = 1
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def texts(self) -> list[str]:
        """Body first, then the variations: what `variation` indexes into."""
        return [self.body, *self.variations]

    def placeholders(self) -> set[str]:
        """Every {name} used in the body or variations."""
        return {m.group(1) for text in self.texts() for m in PLACEHOLDER_RE.finditer(text)}

    def render(self, slots: Mapping[str, Any], variation: int = 0) -> str:
        """Fill {slot} placeholders; unknown or empty values become "" so a patient never sees braces."""
        texts = self.texts()
        text = texts[variation % len(texts)] if texts else ""

        emptied = False

        def fill(match: re.Match[str]) -> str:
            nonlocal emptied
            value = slots.get(match.group(1)) if slots else None
            rendered = "" if value is None else str(value)
            emptied = emptied or not rendered
            return rendered

        result = PLACEHOLDER_RE.sub(fill, text)
        return _GAP_RE.sub(" ", result) if emptied else result


def _split_front_matter(text: str) -> tuple[list[str], list[str], int] | None:
    """(front matter lines, body lines, 1-based line of the first body line) or None without '---'."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return lines[1:index], lines[index + 1 :], index + 2
    return None


def parse_message_file(path: Path) -> tuple[Message | None, list[Finding]]:
    """Parse one message file; a message is returned whenever id/response/condition/kind are usable."""
    findings: list[Finding] = []

    def add(line: int, code: str, message: str, severity: str = "error") -> None:
        findings.append(Finding(path, line, code, message, severity))

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        add(1, "FM001", f"filen kan ikke læses som UTF-8: {exc}")
        return None, findings
    split = _split_front_matter(text)
    if split is None:
        add(1, "FM001", "filen skal starte med front matter mellem to linjer med '---'")
        return None, findings
    fm_lines, body_lines, body_line = split
    fm_text = "\n".join(fm_lines)
    data, error = yamlutil.safe_load(fm_text)
    if error:
        add(error[0] + 1, "YAML001", f"ugyldig YAML i front matter: {error[1]}")
        return None, findings
    if not isinstance(data, dict):
        add(1, "FM001", "front matter skal være felter på formen 'navn: værdi'")
        return None, findings
    lines = yamlutil.mapping_key_lines(yamlutil.compose(fm_text), base_line=2)

    def at(key: str) -> int:
        return lines.get(key, 1)

    for key in REQUIRED_FIELDS:
        if key not in data or (key != "recommendations" and data[key] in (None, "")):
            add(1, "FM002", f"feltet '{key}' mangler i front matter")
    for key in data:
        if key not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
            add(at(str(key)), "FM004", f"ukendt felt '{key}' ignoreres", "warning")

    content_id = str(data.get("id") or "").strip()
    response = str(data.get("response") or "").strip()
    condition = str(data.get("condition") or "").strip()
    kind = str(data.get("kind") or "").strip()
    usable = bool(content_id and response and condition and kind)
    if content_id and not _CONTENT_ID_RE.match(content_id):
        add(at("id"), "FM003", f"id '{content_id}' må kun have små bogstaver, tal, punktum, _ og -")
    if response and not _RESPONSE_RE.match(response):
        add(at("response"), "FM003", f"response '{response}' skal starte med utter_ (små bogstaver, tal, _)")
        usable = False
    if condition and condition not in MESSAGE_CONDITIONS:
        add(at("condition"), "FM003", f"condition '{condition}' skal være neck, radiculopathy eller both")
        usable = False
    if kind and kind not in KINDS:
        add(at("kind"), "FM003", f"kind '{kind}' skal være advice, safety eller navigation")
        usable = False

    recs_raw = data.get("recommendations")
    recommendations: tuple[str, ...] = ()
    if recs_raw is None:
        recommendations = ()
    elif isinstance(recs_raw, list) and all(isinstance(r, str) for r in recs_raw):
        recommendations = tuple(r.strip() for r in recs_raw)
    else:
        add(at("recommendations"), "FM003", "recommendations skal være en liste af id'er, fx [neck.massage]")

    buttons: list[dict[str, str]] = []
    raw_buttons = data.get("buttons") or []
    if not isinstance(raw_buttons, list):
        add(at("buttons"), "FM003", "buttons skal være en liste af {title, payload}")
        raw_buttons = []
    for number, button in enumerate(raw_buttons, start=1):
        if not isinstance(button, dict) or not button.get("title") or not button.get("payload"):
            add(at("buttons"), "BTN001", f"knap nr. {number} skal have både title og payload")
            continue
        payload = str(button["payload"]).strip()
        if not _PAYLOAD_RE.match(payload):
            add(at("buttons"), "BTN001", f"knap nr. {number}: payload '{payload}' skal ligne /intent_navn")
            continue
        buttons.append({"title": str(button["title"]).strip(), "payload": payload})

    variations: list[str] = []
    raw_variations = data.get("variations") or []
    if not isinstance(raw_variations, list) or not all(isinstance(v, str) for v in raw_variations):
        add(at("variations"), "FM003", "variations skal være en liste af tekster")
    else:
        variations = [v.strip() for v in raw_variations if v.strip()]

    blocked_from: str | None = DEFAULT_BLOCKED_FROM.get(kind)
    if "blocked_from" in data:
        value = data["blocked_from"]
        blocked_from = None if value in (None, "", "none") else str(value).strip()
        if blocked_from is not None and blocked_from not in TIERS:
            add(at("blocked_from"), "FM003", f"blocked_from '{blocked_from}' skal være {', '.join(TIERS)}")
            blocked_from = DEFAULT_BLOCKED_FROM.get(kind)

    sequence = data.get("sequence")
    sequence = str(sequence).strip() if sequence not in (None, "") else None
    order = data.get("order")
    if order is not None and (not isinstance(order, int) or isinstance(order, bool)):
        add(at("order"), "FM003", "order skal være et heltal")
        order = None
    if sequence and order is None:
        add(at("sequence"), "FM002", "en besked i en sequence skal også have 'order'")

    while body_lines and not body_lines[0].strip():
        body_lines = body_lines[1:]
        body_line += 1
    body = "\n".join(body_lines).strip()
    if not body:
        add(body_line, "FM005", "beskeden har ingen tekst under front matter")

    if not usable:
        return None, findings
    message = Message(
        id=content_id,
        response=response,
        condition=condition,
        kind=kind,
        recommendations=recommendations,
        body=body,
        buttons=buttons,
        variations=variations,
        blocked_from=blocked_from,
        sequence=sequence,
        order=order,
        path=path,
        line=body_line,
        field_lines=dict(lines),
    )
    return message, findings
