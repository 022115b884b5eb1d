"""YAML helpers that keep line numbers, so every finding points at the line an editor must change."""

from __future__ import annotations

from typing import Any

import yaml


def compose(text: str) -> yaml.Node | None:
    """Node tree (with marks) or None when the text is not valid YAML (parsing reports that)."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def mapping_key_lines(node: yaml.Node | None, base_line: int = 1) -> dict[str, int]:
    """Map each key of a YAML mapping node to its 1-based line (offset by base_line - 1)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        key.value: key.start_mark.line + base_line
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value node under `key` of a mapping node, if any."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def sequence_item_lines(node: yaml.Node | None, base_line: int = 1) -> list[tuple[int, dict[str, int]]]:
    """For a sequence of mappings: (item line, {key: line}) per item."""
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [(item.start_mark.line + base_line, mapping_key_lines(item, base_line)) for item in node.value]


def safe_load(text: str) -> tuple[Any, tuple[int, str] | None]:
    """Parse YAML; on failure return (None, (line, problem)) instead of raising."""
    try:
        return yaml.safe_load(text), None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        return None, (line, str(problem))
