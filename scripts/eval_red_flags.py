"""Evaluate the red-flag detector on the labelled sets and print recall, false alarms and timing.

Usage: .venv/bin/python scripts/eval_red_flags.py [--set dev|heldout|blind_d|...|all] [--verbose]
Always exits 0: the thresholds are enforced by tests/test_red_flag_detector.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.safety.detector import Detector, get_detector  # noqa: E402
from bot.safety.evaluation import NEWEST_ROUND, Report, evaluate, load_cases  # noqa: E402

SET_DIR = ROOT / "tests" / "red_flags"
# dev and heldout first, then the blind batches in the order they were written (blind_z before blind_aa)
SETS = {p.stem: p for p in [SET_DIR / "dev.yml", SET_DIR / "heldout.yml",
                            *sorted(SET_DIR.glob("blind_*.yml"), key=lambda p: (len(p.stem), p.stem))]}
TIERS = ("emergency", "same_day", "soon")


def _names(outcome) -> str:  # noqa: ANN001 - tiny formatting helper
    return ",".join(f"{d.flag_id}:{d.tier}" for d in outcome.detections) or "-"


def print_report(name: str, report: Report, verbose: bool) -> None:
    """One block per set; under-triage cases one per line, because each one is a safety bug."""
    pos, neg = report.positives, report.negatives
    print(f"\n=== {name}: {len(pos)} red-flag utterances, {len(neg)} without a red flag ===")
    for tier in TIERS:
        print(f"recall {tier:<9}  {report.recall(tier):7.1%}  (n={report.count(tier)})")
    print(f"recall overall    {report.recall():7.1%}")
    print(f"false alarms      {report.false_alarm_rate:7.1%}  ({len(report.false_alarms)}/{len(neg)})")
    print(f"over-triage       {len(report.over_triaged)} red-flag cases given a more urgent tier")
    print(f"other flag, right tier: {len(report.wrong_flag)}")
    under = report.under_triaged
    print(f"UNDER-TRIAGE      {len(under)}")
    for o in under:
        print(f"  MISSED/LOW  expected {o.case.expect}:{o.case.tier}  got {_names(o)}  | {o.case.text}")
    if verbose:
        for o in report.false_alarms:
            print(f"  FALSE ALARM got {_names(o)}  | {o.case.text}  [{'; '.join(d.matched for d in o.detections)}]")
        for o in report.over_triaged:
            print(f"  OVER        expected {o.case.expect}:{o.case.tier}  got {_names(o)}  | {o.case.text}")
        for o in report.wrong_flag:
            print(f"  OTHER FLAG  expected {o.case.expect}  got {_names(o)}  | {o.case.text}")


def print_learned_hold_out(detector: Detector) -> None:
    """The learned safety net retrained without the newest round, on that round: unseen text."""
    from bot.safety import learned

    settings = detector.learned_settings
    if settings is None:
        print("learned safety net: off (no 'learned:' section in content/red_flags.yml)")
        return
    scorer = learned.scorer(NEWEST_ROUND)
    cases = [c for name in NEWEST_ROUND for c in load_cases(SETS[name])]
    label = f"{NEWEST_ROUND[0].removeprefix('blind_')}-{NEWEST_ROUND[-1].removeprefix('blind_')}".upper()
    for tier in ("emergency", "none"):
        texts = [c.text for c in cases if c.tier == tier]
        hits = sum(settings.applies(t) and scorer.probability(t) >= settings.threshold for t in texts)
        print(f"learned safety net, trained without {label}, on {label} {tier:<9}: {hits}/{len(texts)} "
              f"at p >= {settings.threshold}, at least {settings.min_words} words")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--verbose", "-v", action="store_true", help="also list false alarms and over-triage")
    args = parser.parse_args()

    started = time.perf_counter()
    detector = get_detector()
    print(f"detector built in {(time.perf_counter() - started) * 1000:.0f} ms "
          f"({len(detector.flags)} flags, {len(detector.lexicon.atoms)} word tests)")
    def patterns_only(text: str) -> list:
        # every labelled set trains the learned safety net, so the sets measure the patterns alone
        return detector.detect(text, learned=False)

    print("Per set: the patterns alone (the sets are training data of the learned safety net).")
    names = list(SETS) if args.set == "all" else [args.set]
    for name in names:
        cases = load_cases(SETS[name])
        detector.lexicon._cache.clear()  # first pass: cold word cache, like a new vocabulary
        cold = evaluate(cases, patterns_only)
        warm = evaluate(cases, patterns_only, repeats=5)
        print_report(name, cold, args.verbose)
        c_mean, c_p99 = cold.timing()
        w_mean, w_p99 = warm.timing()
        print(f"time per message  cold mean {c_mean:.2f} ms, p99 {c_p99:.2f} ms | "
              f"warm mean {w_mean:.2f} ms, p99 {w_p99:.2f} ms")
    if args.set == "all":
        print_learned_hold_out(detector)
    for label, text in (("20,000-char message", "jeg har ondt i nakken og ryggen " * 625),
                        ("2,000-char message", "det stikker ned i benet, " * 80)):
        started = time.perf_counter()
        detector.detect(text)
        print(f"{label}: {(time.perf_counter() - started) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
