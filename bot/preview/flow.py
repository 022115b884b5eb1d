"""Conversation-flow diagram from the training data (rules, stories, forms) as Graphviz DOT.

Clinicians see the whole flow on one page, so rules that differ only in their triggering intent
(e.g. 25 questions asked during the screening that all get the same hint) are drawn as one node
listing the intents. Action nodes are shared, so the diagram reads as "what leads where".
"""

from __future__ import annotations

import html
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

RULE_STYLE = 'style=solid, color="#333333"'
STORY_STYLE = 'style=dashed, color="#1f5fa8"'


@dataclass
class Item:
    """One step of a rule or story in drawing terms."""

    kind: str  # intent | action | loop | slots | checkpoint | start
    names: tuple[str, ...]


@dataclass
class Chain:
    """A rule or story reduced to the steps the diagram shows."""

    kind: str  # rule | story
    name: str
    condition: str
    items: list[Item] = field(default_factory=list)


def _value(value: Any) -> str:
    return "null" if value is None else str(value)


def _slot_text(value: Any) -> str:
    if isinstance(value, list):
        parts = []
        for entry in value:
            if isinstance(entry, dict):
                parts += [f"{k}={_value(v)}" for k, v in entry.items()]
            else:
                parts.append(f"{entry} sat")
        return ", ".join(parts)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_value(v)}" for k, v in value.items())
    return str(value)


def _condition_text(condition: Any) -> str:
    """A rule's `condition:` as a short Danish edge label."""
    parts: list[str] = []
    for entry in condition or []:
        if not isinstance(entry, dict):
            continue
        if "active_loop" in entry:
            loop = entry["active_loop"]
            parts.append("når ingen formular er aktiv" if loop is None else f"når {loop} er aktiv")
        if "slot_was_set" in entry:
            parts.append(f"når {_slot_text(entry['slot_was_set'])}")
    return "; ".join(parts)


def _step_item(step: Any) -> Item | None:
    if not isinstance(step, dict):
        return None
    if "intent" in step:
        return Item("intent", (str(step["intent"]),))
    if "user" in step:
        return Item("intent", (str(step.get("intent") or "tekst"),))
    if "or" in step:
        names = [str(s.get("intent")) for s in step["or"] or [] if isinstance(s, dict) and s.get("intent")]
        return Item("intent", tuple(names)) if names else Item("slots", ("eller: " + _slot_text(step["or"]),))
    if "action" in step:
        return Item("action", (str(step["action"]),))
    if "active_loop" in step:
        loop = step["active_loop"]
        return Item("loop", ("formular slut" if loop is None else f"{loop} aktiv",))
    if "slot_was_set" in step:
        return Item("slots", (_slot_text(step["slot_was_set"]),))
    if "checkpoint" in step:
        return Item("checkpoint", (str(step["checkpoint"]),))
    return None


def load_chains(data_dir: Path) -> list[Chain]:
    """Rules and stories from every YAML file in the training data folder."""
    chains: list[Chain] = []
    for path in sorted(data_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            continue
        for kind, key, name_key in (("rule", "rules", "rule"), ("story", "stories", "story")):
            for raw in data.get(key) or []:
                if not isinstance(raw, dict):
                    continue
                chain = Chain(kind, str(raw.get(name_key) or ""), _condition_text(raw.get("condition")))
                if raw.get("conversation_start"):
                    chain.items.append(Item("start", ("samtalens start",)))
                chain.items += [i for i in (_step_item(s) for s in raw.get("steps") or []) if i is not None]
                if chain.items:
                    chains.append(chain)
    return chains


def load_forms(domain_path: Path) -> dict[str, list[str]]:
    """Form name -> required slots, from domain.yml (or every YAML file of a domain folder)."""
    paths = sorted(domain_path.glob("*.yml")) if domain_path.is_dir() else [domain_path]
    forms: dict[str, list[str]] = {}
    for path in paths:
        if not path.is_file():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, spec in ((data.get("forms") or {}) if isinstance(data, dict) else {}).items():
            slots = spec.get("required_slots") if isinstance(spec, dict) else None
            forms[str(name)] = [str(s) for s in slots] if isinstance(slots, list) else []
    return forms


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrap(names: tuple[str, ...] | list[str], per_line: int = 3) -> str:
    names = list(names)
    return "\n".join(", ".join(names[i: i + per_line]) for i in range(0, len(names), per_line))


def _action_attrs(name: str, forms: dict[str, list[str]]) -> str:
    if name in forms:
        slots = forms[name]
        shown = _wrap([s.removeprefix("rf_") for s in slots], 4)
        label = f"{name}\n({len(slots)} spørgsmål)\n{shown}" if slots else name
        return f'shape=component, style=filled, fillcolor="#dbe8f6", label={_quote(label)}'
    if name.startswith("utter_escalate_") or name.startswith("utter_reminder_"):
        return f'shape=box, style="filled,bold", fillcolor="#f8d0d0", color="#a00000", label={_quote(name)}'
    if name.startswith("utter_treatment_"):
        return f'shape=box, style="rounded,filled", fillcolor="#dff0d8", label={_quote(name)}'
    if name.startswith("utter_"):
        return f'shape=box, style=rounded, label={_quote(name)}'
    return f'shape=box, style="filled", fillcolor="#eeeeee", label={_quote(name)}'


def _direct_colour(action: str) -> str:
    if action.startswith("utter_treatment_"):
        return "#dff0d8"
    if action.startswith("utter_escalate_"):
        return "#f8d0d0"
    return "#ffffff" if action.startswith("utter_") else "#eeeeee"


def build_dot(chains: list[Chain], forms: dict[str, list[str]]) -> str:
    """DOT source; rules that differ only in their first intent share one node listing the intents."""
    action_uses: dict[str, int] = {}
    for chain in chains:
        for item in chain.items:
            if item.kind == "action":
                action_uses[item.names[0]] = action_uses.get(item.names[0], 0) + 1
    direct: list[tuple[str, str]] = []  # "intent -> one answer" rules, drawn as one table
    groups: dict[tuple[Any, ...], list[str]] = {}
    bodies: dict[tuple[Any, ...], tuple[Chain, list[Item]]] = {}
    singles: list[Chain] = []
    for chain in chains:
        first = chain.items[0]
        if (chain.kind == "rule" and not chain.condition and len(chain.items) == 2 and first.kind == "intent"
                and len(first.names) == 1 and chain.items[1].kind == "action"
                and action_uses[chain.items[1].names[0]] == 1 and chain.items[1].names[0] not in forms):
            direct.append((first.names[0], chain.items[1].names[0]))
            continue
        if chain.kind == "rule" and first.kind == "intent":
            rest = chain.items[1:]
            key = (chain.condition, tuple((i.kind, i.names) for i in rest))
            groups.setdefault(key, [])
            groups[key] += [n for n in first.names if n not in groups[key]]
            bodies.setdefault(key, (chain, rest))
        else:
            singles.append(chain)

    lines = [
        "digraph flow {",
        '  graph [rankdir=LR, fontname="DejaVu Sans", fontsize=10, nodesep=0.15, ranksep=0.5, '
        'label="Samtaleflow (regler: fuld linje, historier: stiplet)", labelloc=t];',
        '  node [fontname="DejaVu Sans", fontsize=9];',
        '  edge [fontname="DejaVu Sans", fontsize=8];',
    ]
    actions: set[str] = set()
    edges: list[str] = []
    seen_edges: set[str] = set()
    counter = 0

    def new_node(attrs: str) -> str:
        nonlocal counter
        counter += 1
        node = f"n{counter}"
        lines.append(f"  {node} [{attrs}];")
        return node

    def action_node(name: str) -> str:
        node = "a_" + "".join(ch if ch.isalnum() else "_" for ch in name)
        if name not in actions:
            actions.add(name)
            lines.append(f"  {node} [{_action_attrs(name, forms)}];")
        return node

    states: dict[str, str] = {}

    def state_node(label: str) -> str:
        """Where a rule leaves the conversation (e.g. "screening_form aktiv"): one node per state."""
        if label not in states:
            states[label] = new_node(f"shape=note, label={_quote(label)}")
        return states[label]

    def edge(src: str, dst: str, label: str, style: str) -> None:
        attrs = style + (f", label={_quote(label)}" if label else "")
        text = f"  {src} -> {dst} [{attrs}];"
        if text not in seen_edges:
            seen_edges.add(text)
            edges.append(text)

    def draw(chain: Chain, items: list[Item], start: str | None, intents: list[str] | None) -> None:
        style = RULE_STYLE if chain.kind == "rule" else STORY_STYLE
        label = chain.condition
        previous = start
        if intents is not None:
            previous = new_node(
                f'shape=ellipse, style=filled, fillcolor="#fff4cc", label={_quote(_wrap(intents))}'
            )
        pending = [label] if label else []
        for item in items:
            if item.kind in ("loop", "slots"):
                pending += list(item.names)
                continue
            if item.kind == "action":
                node = action_node(item.names[0])
            elif item.kind == "intent":
                node = new_node(f'shape=ellipse, style=filled, fillcolor="#fff4cc", '
                                f'label={_quote(_wrap(item.names))}')
            elif item.kind == "checkpoint":
                node = new_node(f'shape=cds, label={_quote("checkpoint: " + item.names[0])}')
            else:  # start
                node = new_node('shape=circle, style=filled, fillcolor="#333333", fontcolor=white, '
                                'label="start"')
            if previous is not None:
                edge(previous, node, "\n".join(pending), style)
                pending = []
            previous = node
        if pending and previous is not None:  # e.g. a rule ending in `active_loop: x`
            edge(previous, state_node("\n".join(pending)), "", style)

    if direct:
        rows = "".join(
            f'<TR><TD ALIGN="LEFT" BGCOLOR="#fff4cc">{html.escape(intent)}</TD><TD>→</TD>'
            f'<TD ALIGN="LEFT" BGCOLOR="{_direct_colour(action)}">{html.escape(action)}</TD></TR>'
            for intent, action in sorted(direct, key=lambda pair: (not pair[1].startswith("utter_treatment_"), pair))
        )
        lines.append(
            '  direct [shape=plaintext, label=<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">'
            '<TR><TD COLSPAN="3"><B>Direkte svar (regel: patienten skriver → botten svarer)</B></TD></TR>'
            f"{rows}</TABLE>>];"
        )
    for key, intents in groups.items():
        chain, rest = bodies[key]
        draw(chain, rest, None, intents)
    for chain in singles:
        draw(chain, chain.items, None, None)
    lines += edges
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_flow(data_dir: Path, domain_path: Path, out_dir: Path) -> tuple[Path, list[Path], str | None]:
    """Write flow.dot and, with Graphviz installed, flow.svg and flow.png; returns (dot, images, problem)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    dot_path = out_dir / "flow.dot"
    dot_path.write_text(build_dot(load_chains(data_dir), load_forms(domain_path)), encoding="utf-8")
    dot = shutil.which("dot")
    if dot is None:
        return dot_path, [], "Graphviz (dot) er ikke installeret; kun flow.dot er lavet."
    images: list[Path] = []
    for fmt in ("svg", "png"):
        target = out_dir / f"flow.{fmt}"
        result = subprocess.run([dot, f"-T{fmt}", str(dot_path), "-o", str(target)],
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            return dot_path, images, f"dot -T{fmt} fejlede: {result.stderr.strip()[:300]}"
        images.append(target)
    return dot_path, images, None
