"""lint(): every content rule plus the cross-check against domain.yml and the stories/rules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot import settings
from bot.content import yamlutil
from bot.content.checks import check_library
from bot.content.errors import ContentError, Finding
from bot.content.library import Library, build_library

# Parts the summary builder (bot/summary) assembles itself; Rasa never sends them by name.
INTERNAL_PREFIXES: tuple[str, ...] = ("utter_summary_",)
_ACTION_LINE = re.compile(r"^\s*(?:-\s*)?action:\s*['\"]?(utter_[A-Za-z0-9_]+)")


def _domain_files(domain_path: Path) -> list[Path]:
    """domain.yml, or every YAML file of a split domain directory."""
    if domain_path.is_dir():
        return sorted(p for p in domain_path.rglob("*.yml") if p.is_file())
    return [domain_path] if domain_path.is_file() else []


class _Domain:
    """The parts of the Rasa domain the content must agree with, with the line of each use."""

    def __init__(self) -> None:
        self.uses: dict[str, tuple[Path, int]] = {}  # utter_ response -> where it is used first
        self.slots: set[str] = set()
        self.actions: set[str] = set()
        self.forms: dict[str, tuple[list[str], Path, int]] = {}


def _read_domain(files: list[Path], findings: list[Finding]) -> _Domain:
    """Collect responses, utter_ actions, slots and forms from the domain files."""
    domain = _Domain()
    for path in files:
        text = path.read_text(encoding="utf-8")
        raw, error = yamlutil.safe_load(text)
        if error:
            findings.append(Finding(path, error[0], "YAML001", f"ugyldig YAML: {error[1]}"))
            continue
        if not isinstance(raw, dict):
            continue
        root = yamlutil.compose(text)
        resp_lines = yamlutil.mapping_key_lines(yamlutil.mapping_value(root, "responses"))
        for name in raw.get("responses") or {}:
            domain.uses.setdefault(str(name), (path, resp_lines.get(str(name), 1)))
        actions_node = yamlutil.mapping_value(root, "actions")
        for node in getattr(actions_node, "value", []) or []:
            name = node.value if isinstance(node, yaml.ScalarNode) else None
            if isinstance(node, yaml.MappingNode) and node.value:
                name = node.value[0][0].value
            if not isinstance(name, str):
                continue
            domain.actions.add(name)
            if name.startswith("utter_"):
                domain.uses.setdefault(name, (path, node.start_mark.line + 1))
        slots: Any = raw.get("slots") or {}
        if isinstance(slots, dict):
            domain.slots.update(str(s) for s in slots)
        form_lines = yamlutil.mapping_key_lines(yamlutil.mapping_value(root, "forms"))
        forms: Any = raw.get("forms") or {}
        if isinstance(forms, dict):
            for form, spec in forms.items():
                required = spec.get("required_slots", []) if isinstance(spec, dict) else []
                if isinstance(required, dict):  # Rasa 2 style
                    required = list(required)
                names = [str(s) for s in required or []]
                domain.forms[str(form)] = (names, path, form_lines.get(str(form), 1))
    return domain


def _data_uses(data_dir: Path) -> dict[str, tuple[Path, int]]:
    """utter_ actions named in stories and rules, with the first file and line of each."""
    uses: dict[str, tuple[Path, int]] = {}
    if not data_dir.is_dir():
        return uses
    for path in sorted(data_dir.rglob("*.yml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = _ACTION_LINE.match(line)
            if match:
                uses.setdefault(match.group(1), (path, number))
    return uses


def _domain_findings(library: Library, domain: _Domain, data_dir: Path) -> list[Finding]:
    """Responses the bot can utter must have content; content nobody can utter is reported."""
    found: list[Finding] = []
    provided = library.responses()
    used = dict(_data_uses(data_dir))
    used.update(domain.uses)  # domain line wins: that is where a response is declared
    for name, (path, line) in sorted(used.items()):
        if name not in provided:
            found.append(Finding(path, line, "DOM001", f"{name} bruges her, men har ingen besked i content/"))
    for form, (slots, path, line) in sorted(domain.forms.items()):
        for slot in slots:
            asks = {f"utter_ask_{slot}", f"utter_ask_{form}_{slot}"}
            actions = {f"action_ask_{slot}", f"action_ask_{form}_{slot}"}
            if asks & set(domain.uses) or actions & domain.actions:
                continue  # declared; DOM001 reports it if content is missing
            found.append(Finding(path, line, "DOM003",
                                 f"formen {form} spørger om {slot}, men utter_ask_{slot} står ikke i domain.yml"))
    declared = set(domain.uses)
    for response in sorted(provided - declared):
        message = next(iter(library.messages_for(response).values()))
        if message.sequence or response.startswith(INTERNAL_PREFIXES):
            continue  # sent by actions via Library.sequence() / assembled by the summary, not by name
        found.append(Finding(message.path, message.field_lines.get("response", message.line), "DOM002",
                             f"{response} står ikke i domain.yml, så botten kan aldrig vise den", "warning"))
    return found


def _pattern_findings(path: Path) -> list[Finding]:
    """Compile the red-flag patterns as the bot will, so a clinician's typo is caught before it ships."""
    from bot.content.red_flags import flag_lines
    from bot.safety.detector import get_detector
    from bot.safety.patterns import PatternError

    if not path.exists():
        return []
    try:
        get_detector(path=path, use_guard=False)
    except PatternError as err:
        lines = flag_lines(path)
        line = next((n for flag_id, n in lines.items() if flag_id in str(err)), 1)
        return [Finding(path, line, "RF010", f"mønsteret kan ikke bruges: {err}", "error")]
    except ContentError:
        return []  # reported by the other red-flag checks
    return []


def lint(
    content_dir: Path | None = None, domain_path: Path | None = None, data_dir: Path | None = None
) -> list[Finding]:
    """All findings for the content, sorted by file and line (errors block loading, warnings do not)."""
    content_dir = Path(content_dir or settings.CONTENT_DIR)
    domain_path = Path(domain_path or settings.ROOT / "domain.yml")
    data_dir = Path(data_dir or settings.ROOT / "bot" / "data")
    library, findings = build_library(content_dir)
    files = _domain_files(domain_path)
    if files:
        domain = _read_domain(files, findings)
        findings += check_library(library, slots=domain.slots)
        findings += _domain_findings(library, domain, data_dir)
    else:
        findings.append(Finding(domain_path, 1, "DOM000",
                                "domain.yml findes ikke: tjek mod domain og stories springes over", "warning"))
        findings += check_library(library)
    findings += _pattern_findings(content_dir / "red_flags.yml")
    unique = list(dict.fromkeys(findings))
    return sorted(unique, key=lambda f: (f.severity != "error", str(f.path), f.line, f.code))
