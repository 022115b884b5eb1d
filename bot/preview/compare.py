"""Compare a recorded conversation (Rasa tracker) with its script, exchange by exchange.

Matching is on the `content_id` the NLG puts into every bot event's metadata, in order. A script
entry may be a glob (`radiculopathy.reassurance.*`) or `...` (any number of messages). The result
keeps a row-by-row alignment so the page can show expected next to actual where they differ.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

from bot.preview.script import WILDCARD, Dialogue, Exchange

NO_ID = "(uden content-id)"


@dataclass
class BotMessage:
    """One bot message as the patient saw it, with the NLG's metadata."""

    text: str
    buttons: list[dict[str, Any]]
    metadata: dict[str, Any]
    custom: dict[str, Any] = field(default_factory=dict)

    @property
    def content_id(self) -> str | None:
        cid = self.metadata.get("content_id")
        return str(cid) if cid else None

    @classmethod
    def from_event(cls, event: dict[str, Any]) -> BotMessage:
        data = event.get("data") or {}
        return cls(
            text=str(event.get("text") or ""),
            buttons=list(data.get("buttons") or []),
            metadata=dict(event.get("metadata") or {}),
            custom=dict(data.get("custom") or {}) if isinstance(data.get("custom"), dict) else {},
        )


@dataclass
class Segment:
    """The events caused by one patient message (segment 0: before the first message)."""

    user: str | None
    intent: str | None
    events: list[dict[str, Any]]
    slots: dict[str, Any]
    delivered: bool = True  # False when the message never reached the dialogue (no user event)
    error: str | None = None  # transport problem while sending it
    stored_user: str | None = None  # the text as the tracker keeps it (the channel may redact it)

    @property
    def bot(self) -> list[BotMessage]:
        return [BotMessage.from_event(e) for e in self.events if e.get("event") == "bot"]

    @property
    def actions(self) -> list[str]:
        return [str(e.get("name")) for e in self.events if e.get("event") == "action"]


def _replay_slots(events: list[dict[str, Any]], slots: dict[str, Any]) -> None:
    """Apply slot events in place (restart / new session clear them, as Rasa does)."""
    for event in events:
        kind = event.get("event")
        if kind == "slot":
            slots[str(event.get("name"))] = event.get("value")
        elif kind in ("restart", "session_started", "reset_slots"):
            slots.clear()


def _user_fields(events: list[dict[str, Any]]) -> tuple[str | None, str | None, bool]:
    for event in events:
        if event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            return event.get("text"), intent.get("name"), True
    return None, None, False


def split_tracker(
    tracker: dict[str, Any],
    boundaries: list[int] | None = None,
    sent: list[str] | None = None,
    slot_snapshots: list[dict[str, Any]] | None = None,
    errors: list[str | None] | None = None,
) -> list[Segment]:
    """Cut the tracker's events into segments, one per patient message.

    With `boundaries` (the event count before the first message and after each message, recorded
    while the dialogue ran) a message that never reached the bot still gets its own, empty segment;
    without them the events are cut at each `user` event.
    """
    events = list(tracker.get("events") or [])
    if boundaries is None:
        starts = [i for i, e in enumerate(events) if e.get("event") == "user"]
        boundaries = [*starts, len(events)]
    edges = [0, *boundaries]
    chunks = [events[edges[i]: edges[i + 1]] for i in range(len(edges) - 1)]
    if boundaries and boundaries[-1] < len(events):  # events after the last recorded boundary
        chunks[-1] = chunks[-1] + events[boundaries[-1]:]
    segments: list[Segment] = []
    slots: dict[str, Any] = {}
    for index, chunk in enumerate(chunks):
        _replay_slots(chunk, slots)
        stored, intent, has_user = _user_fields(chunk)
        text = stored
        if index and sent is not None and index - 1 < len(sent):
            text = sent[index - 1]
        snapshot = dict(slots)
        if slot_snapshots is not None and index and index - 1 < len(slot_snapshots):
            snapshot = dict(slot_snapshots[index - 1])
        segments.append(Segment(
            user=text if index else None,
            intent=intent,
            events=chunk,
            slots=snapshot,
            delivered=has_user or index == 0,
            stored_user=stored,
            error=errors[index - 1] if errors and index and index - 1 < len(errors) else None,
        ))
    return segments


@dataclass
class Row:
    """One line of the expected-vs-actual table."""

    status: str  # equal | changed | missing | unexpected | wildcard | unchecked
    expected: str | None
    actual: int | None  # index into the segment's bot messages

    @property
    def ok(self) -> bool:
        return self.status in ("equal", "wildcard", "unchecked")


def _matches(pattern: str, content_id: str | None) -> bool:
    if content_id is None:
        return False
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(content_id, pattern)
    return pattern == content_id


def align(expected: list[str], actual: list[str | None]) -> list[Row]:
    """Minimum-cost alignment of expected patterns and actual content ids (cost 0 == match)."""
    n, m = len(expected), len(actual)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    move: list[list[str]] = [[""] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            # Ties go to the first option; since the alignment is read backwards, listing "unexpected"
            # and "missing" first pairs messages as early as possible and leaves extras at the end.
            options: list[tuple[float, str]] = []
            if j > 0:
                options.append((cost[i][j - 1] + 1, "unexpected"))
            if i > 0:
                pat = expected[i - 1]
                if pat == WILDCARD:
                    options.append((cost[i - 1][j], "skipwild"))  # wildcard matches nothing more
                    if j > 0:
                        options.append((cost[i][j - 1], "wild"))  # wildcard eats actual[j-1]
                else:
                    options.append((cost[i - 1][j] + 1, "missing"))
                    if j > 0:
                        same = _matches(pat, actual[j - 1])
                        options.append((cost[i - 1][j - 1] + (0 if same else 1), "equal" if same else "changed"))
            best = min(options, key=lambda o: o[0])
            cost[i][j], move[i][j] = best
    rows: list[Row] = []
    i, j = n, m
    while i > 0 or j > 0:
        step = move[i][j]
        if step in ("equal", "changed"):
            rows.append(Row(step, expected[i - 1], j - 1))
            i, j = i - 1, j - 1
        elif step == "missing":
            rows.append(Row("missing", expected[i - 1], None))
            i -= 1
        elif step == "skipwild":
            i -= 1
        elif step == "wild":
            rows.append(Row("wildcard", WILDCARD, j - 1))
            j -= 1
        else:
            rows.append(Row("unexpected", None, j - 1))
            j -= 1
    rows.reverse()
    return rows


@dataclass
class SlotCheck:
    """An expected slot value after an exchange."""

    name: str
    expected: Any
    actual: Any

    @property
    def ok(self) -> bool:
        if self.expected == self.actual:
            return True
        return self.expected is not None and self.actual is not None and str(self.expected) == str(self.actual)


@dataclass
class ExchangeResult:
    """One patient message: what was expected, what happened, and whether they agree."""

    exchange: Exchange | None  # None: the bot did something the script did not ask for
    segment: Segment | None  # None: the run stopped before this message
    rows: list[Row] = field(default_factory=list)
    slot_checks: list[SlotCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def checked(self) -> bool:
        return self.exchange is not None and (self.exchange.bot is not None or bool(self.exchange.expect_slots))

    @property
    def ok(self) -> bool:
        return not self.problems and all(r.ok for r in self.rows) and all(s.ok for s in self.slot_checks)

    @property
    def user(self) -> str | None:
        if self.segment is not None and self.segment.user is not None:
            return self.segment.user
        return self.exchange.user if self.exchange else None

    @property
    def bot(self) -> list[BotMessage]:
        return self.segment.bot if self.segment else []


@dataclass
class Finding:
    """A consistency or script problem found outside the turn-by-turn comparison."""

    message: str
    severe: bool = True


@dataclass
class DialogueResult:
    """The outcome of one scripted dialogue."""

    dialogue: Dialogue
    exchanges: list[ExchangeResult]
    error: str | None = None  # the run itself failed (server down, timeout)
    findings: list[Finding] = field(default_factory=list)
    sender: str | None = None
    duration: float | None = None
    consistency_checked: bool = False

    @property
    def passed(self) -> bool:
        return (self.error is None and all(x.ok for x in self.exchanges)
                and not any(f.severe for f in self.findings))

    @property
    def failed_exchanges(self) -> list[int]:
        return [i for i, x in enumerate(self.exchanges) if not x.ok]

    def actual_bot_messages(self) -> list[BotMessage]:
        return [m for x in self.exchanges for m in x.bot]


def compare_exchange(exchange: Exchange | None, segment: Segment | None) -> ExchangeResult:
    """Check one exchange; an unchecked one (no `bot:`) is shown but never fails on content."""
    result = ExchangeResult(exchange, segment)
    if exchange is None:
        if segment is not None and segment.bot:
            result.rows = [Row("unchecked", None, i) for i in range(len(segment.bot))]
        return result
    if segment is None:
        result.problems.append("Samtalen nåede ikke hertil (kørslen stoppede før denne besked).")
        return result
    if segment.error:
        result.problems.append(f"Beskeden kunne ikke sendes: {segment.error}")
    if exchange.user is not None and not segment.delivered:
        result.problems.append("Beskeden nåede ikke frem til dialogen (ingen brugerhændelse i trackeren).")
    actual_ids = [m.content_id for m in segment.bot]
    if exchange.bot is None:
        result.rows = [Row("unchecked", None, i) for i in range(len(actual_ids))]
    else:
        result.rows = align(exchange.bot, actual_ids)
    for name, value in exchange.expect_slots.items():
        result.slot_checks.append(SlotCheck(name, value, segment.slots.get(name)))
    return result


def compare(dialogue: Dialogue, segments: list[Segment]) -> DialogueResult:
    """Pair the script's exchanges with the recorded segments and compare each pair."""
    results: list[ExchangeResult] = []
    exchanges = list(dialogue.exchanges)
    seg_index = 1  # segment 0 holds what happened before the first patient message
    if exchanges and exchanges[0].user is None:
        results.append(compare_exchange(exchanges.pop(0), segments[0] if segments else None))
    elif segments and segments[0].bot:
        results.append(compare_exchange(None, segments[0]))
    for exchange in exchanges:
        segment = segments[seg_index] if seg_index < len(segments) else None
        results.append(compare_exchange(exchange, segment))
        seg_index += 1
    for segment in segments[seg_index:]:
        results.append(compare_exchange(None, segment))
    return DialogueResult(dialogue, results)


def content_message(library: Any, content_id: str | None) -> Any:
    """The content message behind a content id; screening questions are `red_flags.<flag id>` in the
    bot's metadata and `red_flags.<flag id>.question` in the library, so both are accepted."""
    if library is None or not content_id:
        return None
    message = library.messages.get(content_id)
    if message is None and content_id.startswith("red_flags."):
        message = library.messages.get(content_id + ".question")
    return message


def known_content_ids(library: Any) -> set[str]:
    """Every content id a script may expect."""
    known = set(library.messages)
    known |= {m.removesuffix(".question") for m in known if m.startswith("red_flags.")}
    return known


def unknown_content_ids(dialogue: Dialogue, known: set[str]) -> list[Finding]:
    """Script entries that name no message in content/ (a typo would otherwise look like a bot bug)."""
    findings = []
    for cid in dict.fromkeys(dialogue.expected_content_ids()):
        if any(ch in cid for ch in "*?["):
            if not any(fnmatch.fnmatchcase(k, cid) for k in known):
                findings.append(Finding(f"Scriptet forventer '{cid}', men intet content-id passer til mønstret."))
        elif cid not in known:
            findings.append(Finding(f"Scriptet forventer '{cid}', som ikke findes i content/messages."))
    return findings
