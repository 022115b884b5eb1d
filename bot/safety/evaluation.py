"""Scoring the detector on labelled utterance sets (tests/red_flags/*.yml); shared by tests and the script.

Why a module: the thresholds test and scripts/eval_red_flags.py must count exactly the same way.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.content import TIER_RANK
from bot.safety.detector import Detection, detect, most_urgent

# The newest round of blind batches (tests/red_flags/): the learned safety net is retrained without it to
# measure the net on text it never saw (make eval and tests/test_learned_safety_net.py).
NEWEST_ROUND = ("blind_gg", "blind_gh", "blind_gi", "blind_gj")

@dataclass(frozen=True)
class Case:
    """One labelled utterance: the flag it describes (None = no flag) and that flag's tier."""

    text: str
    expect: str | None
    tier: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    detections: tuple[Detection, ...]

    @property
    def got_tier(self) -> str:
        top = most_urgent(self.detections)
        return top.tier if top else "none"

    @property
    def under_triaged(self) -> bool:
        """Flag missed, or a less urgent tier than expected: the failure that matters most."""
        return TIER_RANK[self.got_tier] < TIER_RANK[self.case.tier]

    @property
    def over_triaged(self) -> bool:
        return TIER_RANK[self.got_tier] > TIER_RANK[self.case.tier]

    @property
    def flag_found(self) -> bool:
        return self.case.expect is None or any(d.flag_id == self.case.expect for d in self.detections)


@dataclass
class Report:
    outcomes: list[Outcome]
    times_ms: list[float] = field(default_factory=list)

    @property
    def positives(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.tier != "none"]

    @property
    def negatives(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.tier == "none"]

    def recall(self, tier: str | None = None) -> float:
        """Share of red-flag cases (of ``tier``) triaged at least as urgently as expected."""
        cases = [o for o in self.positives if tier is None or o.case.tier == tier]
        if not cases:
            return 1.0
        return sum(not o.under_triaged for o in cases) / len(cases)

    def count(self, tier: str) -> int:
        return sum(o.case.tier == tier for o in self.positives)

    @property
    def false_alarm_rate(self) -> float:
        if not self.negatives:
            return 0.0
        return sum(o.over_triaged for o in self.negatives) / len(self.negatives)

    @property
    def under_triaged(self) -> list[Outcome]:
        return [o for o in self.positives if o.under_triaged]

    @property
    def false_alarms(self) -> list[Outcome]:
        return [o for o in self.negatives if o.over_triaged]

    @property
    def over_triaged(self) -> list[Outcome]:
        return [o for o in self.positives if o.over_triaged]

    @property
    def wrong_flag(self) -> list[Outcome]:
        """Right urgency but the expected flag was not among the detections (reason text may differ)."""
        return [o for o in self.positives if not o.under_triaged and not o.flag_found]

    def timing(self) -> tuple[float, float]:
        """Mean and 99th percentile detection time in milliseconds."""
        if not self.times_ms:
            return 0.0, 0.0
        ordered = sorted(self.times_ms)
        p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
        return statistics.fmean(ordered), p99


def load_cases(path: Path) -> list[Case]:
    """Read a labelled set: top-level `cases:` list of {text, expect, tier}."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = raw["cases"] if isinstance(raw, dict) else raw
    cases = []
    for item in items:
        tier = str(item.get("tier") or "none")
        expect = item.get("expect")
        if tier not in TIER_RANK:
            raise ValueError(f"{path}: unknown tier {tier!r} for {item.get('text')!r}")
        if (expect is None) != (tier == "none"):
            raise ValueError(f"{path}: expect and tier disagree for {item.get('text')!r}")
        cases.append(Case(str(item["text"]), expect, tier))
    return cases


def evaluate(
    cases: Sequence[Case], detector: Callable[[str], list[Detection]] = detect, repeats: int = 1
) -> Report:
    """Run the detector on every case; time each call (``repeats`` > 1 gives warm-cache timings)."""
    outcomes = []
    times: list[float] = []
    for case in cases:
        result: list[Detection] = []
        for _ in range(max(1, repeats)):
            started = time.perf_counter()
            result = detector(case.text)
            times.append((time.perf_counter() - started) * 1000)
        outcomes.append(Outcome(case, tuple(result)))
    return Report(outcomes, times)
