"""content/guidelines.yml: guidelines, strengths, evidence labels and the 22 recommendations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.content import yamlutil
from bot.content.errors import Finding

GUIDELINE_IDS: tuple[str, ...] = ("neck", "radiculopathy")
STRENGTH_IDS: tuple[str, ...] = (
    "strong_for", "strong_against", "weak_for", "weak_against", "good_practice_for", "good_practice_against",
)
EVIDENCE_GRADES: tuple[str, ...] = ("high", "moderate", "low", "very_low")
# Labels for recommendations without a grade: good practice (consensus) or a guide that grades nothing.
EVIDENCE_EXTRA: tuple[str, ...] = ("consensus", "not_graded")
GUIDELINE_FIELDS: tuple[str, ...] = ("title", "short_title", "period", "status", "status_text", "version",
                                     "source_file")
_REC_ID_RE = re.compile(r"^(neck|radiculopathy)\.[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Guideline:
    """One national clinical guideline as the patient sees it cited."""

    id: str
    title: str
    short_title: str
    period: str
    status: str  # "current" | "not_current"
    status_text: str
    version: str
    source_file: str
    publisher: str = "Sundhedsstyrelsen"


@dataclass(frozen=True)
class Strength:
    """How strongly a recommendation is made, with the phrase every advice message must contain."""

    id: str
    symbol: str
    label: str
    patient_phrase: str


@dataclass(frozen=True)
class Recommendation:
    """One recommendation, worded as in the quick guide."""

    id: str
    guideline: str
    strength: str
    evidence: str | None
    text: str
    line: int = field(default=0, compare=False)


@dataclass
class Catalogue:
    """Everything guidelines.yml holds, parsed."""

    path: Path
    guidelines: dict[str, Guideline] = field(default_factory=dict)
    strengths: dict[str, Strength] = field(default_factory=dict)
    evidence_labels: dict[str, str] = field(default_factory=dict)
    recommendations: dict[str, Recommendation] = field(default_factory=dict)


def _text(value: Any) -> str:
    """Normalise YAML scalars (folded blocks keep a trailing newline)."""
    return " ".join(str(value).split()) if value is not None else ""


def load_catalogue(path: Path) -> tuple[Catalogue, list[Finding]]:
    """Parse guidelines.yml, collecting every problem instead of stopping at the first."""
    catalogue = Catalogue(path=path)
    findings: list[Finding] = []

    def add(line: int, code: str, message: str, severity: str = "error") -> None:
        findings.append(Finding(path, line, code, message, severity))

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        add(1, "CAT000", "guidelines.yml findes ikke")
        return catalogue, findings
    raw, error = yamlutil.safe_load(text)
    if error:
        add(error[0], "YAML001", f"ugyldig YAML: {error[1]}")
        return catalogue, findings
    if not isinstance(raw, dict):
        add(1, "CAT001", "guidelines.yml skal være en mapping")
        return catalogue, findings

    root = yamlutil.compose(text)
    top = yamlutil.mapping_key_lines(root)
    for key in ("guidelines", "strengths", "evidence", "recommendations"):
        if not isinstance(raw.get(key), dict if key != "recommendations" else list):
            add(top.get(key, 1), "CAT001", f"'{key}:' mangler eller har forkert form")

    g_node = yamlutil.mapping_value(root, "guidelines")
    g_lines = yamlutil.mapping_key_lines(g_node)
    for gid in GUIDELINE_IDS:
        data = (raw.get("guidelines") or {}).get(gid) if isinstance(raw.get("guidelines"), dict) else None
        line = g_lines.get(gid, top.get("guidelines", 1))
        if not isinstance(data, dict):
            add(line, "CAT002", f"retningslinjen '{gid}' mangler under 'guidelines:'")
            continue
        missing = [f for f in GUIDELINE_FIELDS if not _text(data.get(f))]
        if missing:
            add(line, "CAT002", f"retningslinjen '{gid}' mangler felterne: {', '.join(missing)}")
            continue
        status = _text(data["status"])
        if status not in ("current", "not_current"):
            add(line, "CAT002", f"retningslinjen '{gid}': status skal være current eller not_current")
        catalogue.guidelines[gid] = Guideline(
            id=gid,
            title=_text(data["title"]),
            short_title=_text(data["short_title"]),
            period=_text(data["period"]),
            status=status,
            status_text=_text(data["status_text"]),
            version=_text(data["version"]),
            source_file=_text(data["source_file"]),
            publisher=_text(data.get("publisher")) or "Sundhedsstyrelsen",
        )

    s_lines = yamlutil.mapping_key_lines(yamlutil.mapping_value(root, "strengths"))
    strengths = raw.get("strengths") if isinstance(raw.get("strengths"), dict) else {}
    for sid, data in strengths.items():
        line = s_lines.get(sid, top.get("strengths", 1))
        if sid not in STRENGTH_IDS:
            add(line, "CAT003", f"ukendt styrke '{sid}' (brug {', '.join(STRENGTH_IDS)})")
            continue
        if not isinstance(data, dict) or not (_text(data.get("patient_phrase")) and _text(data.get("label"))):
            add(line, "CAT003", f"styrken '{sid}' mangler 'label' eller 'patient_phrase'")
            continue
        catalogue.strengths[sid] = Strength(
            sid, _text(data.get("symbol")), _text(data["label"]), _text(data["patient_phrase"])
        )

    evidence = raw.get("evidence") if isinstance(raw.get("evidence"), dict) else {}
    e_lines = yamlutil.mapping_key_lines(yamlutil.mapping_value(root, "evidence"))
    for key, label in evidence.items():
        if key not in EVIDENCE_GRADES + EVIDENCE_EXTRA:
            add(e_lines.get(key, 1), "CAT004", f"ukendt evidensniveau '{key}'", "warning")
        catalogue.evidence_labels[str(key)] = _text(label)
    for key in EVIDENCE_GRADES + EVIDENCE_EXTRA:
        if key not in catalogue.evidence_labels:
            add(top.get("evidence", 1), "CAT004", f"evidence mangler en tekst for '{key}'")

    recs = raw.get("recommendations") if isinstance(raw.get("recommendations"), list) else []
    item_lines = yamlutil.sequence_item_lines(yamlutil.mapping_value(root, "recommendations"))
    for index, item in enumerate(recs):
        line, keys = item_lines[index] if index < len(item_lines) else (top.get("recommendations", 1), {})
        if not isinstance(item, dict):
            add(line, "CAT005", f"anbefaling nr. {index + 1} er ikke en mapping")
            continue
        rid = _text(item.get("id"))
        if not rid:
            add(line, "CAT005", f"anbefaling nr. {index + 1} mangler 'id'")
            continue
        if not _REC_ID_RE.match(rid):
            add(keys.get("id", line), "CAT005", f"'{rid}': id skal hedde neck.xxx eller radiculopathy.xxx")
        if rid in catalogue.recommendations:
            first = catalogue.recommendations[rid].line
            add(keys.get("id", line), "CAT006", f"'{rid}' findes allerede (linje {first})")
            continue
        guideline = _text(item.get("guideline"))
        strength = _text(item.get("strength"))
        ev = item.get("evidence")
        ev = _text(ev) if ev is not None else None
        ok = True
        if guideline not in GUIDELINE_IDS or not rid.startswith(guideline + "."):
            add(keys.get("guideline", line), "CAT007",
                f"'{rid}': guideline skal være neck eller radiculopathy og passe med id'ets første del")
            ok = False
        if strength not in catalogue.strengths:
            add(keys.get("strength", line), "CAT007", f"'{rid}': ukendt eller udefineret styrke '{strength}'")
            ok = False
        if ev is not None and ev not in EVIDENCE_GRADES:
            add(keys.get("evidence", line), "CAT007", f"'{rid}': ukendt evidens '{ev}' (brug "
                f"{', '.join(EVIDENCE_GRADES)} eller null)")
            ok = False
        if not _text(item.get("text")):
            add(keys.get("text", line), "CAT007", f"'{rid}' mangler 'text' (ordlyden fra quick guiden)")
            ok = False
        if ok:
            catalogue.recommendations[rid] = Recommendation(
                rid, guideline, strength, ev, _text(item["text"]), line=keys.get("id", line)
            )
    return catalogue, findings
