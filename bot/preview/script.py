"""Scripted dialogues (tests/dialogues/*.yml): what a patient types and what the bot is expected to say.

A file holds either one dialogue (top-level `name:`) or several (`dialogues:` list, with an optional
`title:` that heads them in the preview; files run in name order), and may define
`snippets:` (named lists of turns) that any dialogue reuses with `- include: <snippet>`, so the
screening questions are written once. Expectations are content ids, the stable names clinicians see
in the preview, never the wording, so editing a message's text never breaks a script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

WILDCARD = "..."  # in a bot list: any number (also zero) of messages
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_TURN_KEYS = {"user", "bot", "expect_slots", "include", "note"}


class ScriptError(Exception):
    """A dialogue file that cannot be run as written (reported with file and dialogue name)."""


@dataclass
class Turn:
    """One step: a patient message, or the expectation for the bot's reply to the previous message."""

    user: str | None = None
    bot: list[str] | None = None  # None: not checked
    expect_slots: dict[str, Any] = field(default_factory=dict)
    note: str | None = None  # shown to clinicians under the turn


@dataclass
class Exchange:
    """A patient message and what the bot should answer to it (the unit that is compared)."""

    user: str | None  # None: what the bot says before the patient has written anything
    bot: list[str] | None = None
    expect_slots: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Dialogue:
    """One scripted conversation as clinicians read it."""

    name: str
    title: str
    description: str
    exchanges: list[Exchange]
    path: Path
    line: int = 1
    tags: list[str] = field(default_factory=list)
    group: str = ""  # the file's `title:`, a section heading in the preview

    @property
    def user_messages(self) -> list[str]:
        return [e.user for e in self.exchanges if e.user is not None]

    def expected_content_ids(self) -> list[str]:
        """Every content id the script expects (without wildcards), in order."""
        return [cid for e in self.exchanges for cid in (e.bot or []) if cid != WILDCARD]


def _parse_turn(raw: Any, where: str) -> Turn | str:
    """A turn, or the snippet name of an `include:`."""
    if not isinstance(raw, dict) or not raw:
        raise ScriptError(f"{where}: hver tur skal være en mapping, fx {{user: ...}} eller {{bot: [...]}}")
    unknown = set(raw) - _TURN_KEYS
    if unknown:
        raise ScriptError(f"{where}: ukendte felter {sorted(unknown)} (brug {sorted(_TURN_KEYS)})")
    if "include" in raw:
        if len(raw) != 1:
            raise ScriptError(f"{where}: 'include' står alene i sin tur")
        return str(raw["include"])
    if "user" in raw and "bot" in raw:
        raise ScriptError(f"{where}: skriv 'user' og 'bot' som to ture, så rækkefølgen er tydelig")
    turn = Turn(note=str(raw["note"]) if raw.get("note") else None)
    if "user" in raw:
        if not isinstance(raw["user"], str | int | float) or str(raw["user"]).strip() == "":
            raise ScriptError(f"{where}: 'user' skal være en tekst")
        turn.user = str(raw["user"])
    if "bot" in raw:
        bot = raw["bot"]
        if isinstance(bot, str):
            bot = [bot]
        if not isinstance(bot, list) or not all(isinstance(b, str) and b.strip() for b in bot):
            raise ScriptError(f"{where}: 'bot' skal være en liste af content-id'er")
        turn.bot = [b.strip() for b in bot]
    if "expect_slots" in raw:
        if not isinstance(raw["expect_slots"], dict):
            raise ScriptError(f"{where}: 'expect_slots' skal være en mapping slot: værdi")
        turn.expect_slots = dict(raw["expect_slots"])
    return turn


def _expand(raw_turns: Any, snippets: dict[str, Any], where: str, stack: tuple[str, ...] = ()) -> list[Turn]:
    """Resolve `include:` turns recursively (cycles are a script error)."""
    if not isinstance(raw_turns, list):
        raise ScriptError(f"{where}: 'turns' skal være en liste")
    turns: list[Turn] = []
    for index, raw in enumerate(raw_turns, start=1):
        parsed = _parse_turn(raw, f"{where}, tur {index}")
        if isinstance(parsed, str):
            if parsed in stack:
                raise ScriptError(f"{where}: snippet '{parsed}' inkluderer sig selv")
            if parsed not in snippets:
                raise ScriptError(f"{where}, tur {index}: ukendt snippet '{parsed}'")
            turns += _expand(snippets[parsed], snippets, f"snippet '{parsed}'", (*stack, parsed))
        else:
            turns.append(parsed)
    return turns


def group_exchanges(turns: list[Turn]) -> list[Exchange]:
    """Attach each bot expectation / slot expectation to the user message before it."""
    exchanges: list[Exchange] = []
    current: Exchange | None = None
    for turn in turns:
        if turn.user is not None:
            current = Exchange(user=turn.user)
            exchanges.append(current)
        if current is None:  # expectation before the first user message
            current = Exchange(user=None)
            exchanges.append(current)
        if turn.bot is not None:
            current.bot = (current.bot or []) + turn.bot
        current.expect_slots.update(turn.expect_slots)
        if turn.note:
            current.notes.append(turn.note)
    return exchanges


def _dialogue(raw: Any, snippets: dict[str, Any], path: Path, line: int, group: str = "") -> Dialogue:
    where = f"{path.name}:{line}"
    if not isinstance(raw, dict):
        raise ScriptError(f"{where}: en dialog skal være en mapping")
    name = str(raw.get("name") or "")
    if not _NAME_RE.match(name):
        raise ScriptError(f"{where}: 'name' mangler eller er ugyldigt (små bogstaver, tal, _ og -)")
    where = f"{path.name}:{line} ({name})"
    title = str(raw.get("title") or "").strip()
    if not title:
        raise ScriptError(f"{where}: 'title' (dansk) mangler")
    exchanges = group_exchanges(_expand(raw.get("turns"), snippets, where))
    if not any(e.user is not None for e in exchanges):
        raise ScriptError(f"{where}: dialogen har ingen 'user'-ture")
    tags = raw.get("tags") or []
    return Dialogue(
        name=name,
        title=title,
        description=" ".join(str(raw.get("description") or "").split()),
        exchanges=exchanges,
        path=path,
        line=line,
        tags=[str(t) for t in tags] if isinstance(tags, list) else [str(tags)],
        group=group,
    )


def _dialogue_lines(text: str) -> list[int]:
    """1-based line of each dialogue (for messages that point at the file)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "dialogues" and isinstance(value, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value.value]
    return [1]


def load_dialogues(directory: Path) -> list[Dialogue]:
    """Every dialogue in `directory/*.yml`, sorted by file then position; names must be unique."""
    files = sorted(p for p in directory.glob("*.yml") if p.is_file())
    raw_files: list[tuple[Path, Any, str]] = []
    snippets: dict[str, Any] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise ScriptError(f"{path.name}: ugyldig YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise ScriptError(f"{path.name}: filen skal være en mapping")
        for key, turns in (data.get("snippets") or {}).items():
            if key in snippets:
                raise ScriptError(f"{path.name}: snippet '{key}' er defineret to steder")
            snippets[str(key)] = turns
        raw_files.append((path, data, text))

    dialogues: list[Dialogue] = []
    seen: dict[str, Path] = {}
    for path, data, text in raw_files:
        group = ""
        if "dialogues" in data:
            group = str(data.get("title") or "").strip()
            items = data["dialogues"] or []
            if not isinstance(items, list):
                raise ScriptError(f"{path.name}: 'dialogues' skal være en liste")
        elif "name" in data:
            items = [data]
        else:
            items = []
        lines = _dialogue_lines(text)
        for index, raw in enumerate(items):
            dialogue = _dialogue(raw, snippets, path, lines[index] if index < len(lines) else 1, group)
            if dialogue.name in seen:
                raise ScriptError(f"{path.name}: dialognavnet '{dialogue.name}' bruges også i "
                                  f"{seen[dialogue.name].name}")
            seen[dialogue.name] = path
            dialogues.append(dialogue)
    return dialogues


def load_story_dialogues(path: Path) -> list[Dialogue]:
    """Rasa test stories replayed live as dialogues, so the consistency check also covers them.

    Their expected actions are checked by `rasa test core`; here only what the patient types is
    taken (the text, or `/intent` where a step gives only the intent), and replies are not compared.
    """
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    dialogues: list[Dialogue] = []
    for index, story in enumerate(data.get("stories") or [], 1):
        name = "story_" + re.sub(r"[^a-z0-9]+", "_", str(story.get("story", index)).lower()).strip("_")
        exchanges = [
            Exchange(user=str(step["user"]).strip() if step.get("user") else f"/{step['intent']}")
            for step in story.get("steps") or []
            if "intent" in step or "user" in step
        ]
        if exchanges:
            dialogues.append(Dialogue(name=name, title=str(story.get("story", name)),
                                      description="Rasa-teststory afspillet mod botten (kun konsistenstjek).",
                                      exchanges=exchanges, path=path, group="Rasa-teststories"))
    return dialogues
