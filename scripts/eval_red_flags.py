"""Evaluate the red-flag detector on the labelled sets and print recall, false alarms and timing.

Usage: .venv/bin/python scripts/eval_red_flags.py [--set dev|heldout|blind_d|...|blind_av|all] [--verbose]
Always exits 0: the thresholds are enforced by tests/test_red_flag_detector.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.safety.detector import get_detector  # noqa: E402
from bot.safety.evaluation import Report, evaluate, load_cases  # noqa: E402

SETS = {
    "dev": ROOT / "tests/red_flags/dev.yml",
    "heldout": ROOT / "tests/red_flags/heldout.yml",
    "blind_d": ROOT / "tests/red_flags/blind_d.yml",
    "blind_e": ROOT / "tests/red_flags/blind_e.yml",
    "blind_f": ROOT / "tests/red_flags/blind_f.yml",
    "blind_g": ROOT / "tests/red_flags/blind_g.yml",
    "blind_h": ROOT / "tests/red_flags/blind_h.yml",
    "blind_i": ROOT / "tests/red_flags/blind_i.yml",
    "blind_j": ROOT / "tests/red_flags/blind_j.yml",
    "blind_k": ROOT / "tests/red_flags/blind_k.yml",
    "blind_l": ROOT / "tests/red_flags/blind_l.yml",
    "blind_m": ROOT / "tests/red_flags/blind_m.yml",
    "blind_n": ROOT / "tests/red_flags/blind_n.yml",
    "blind_o": ROOT / "tests/red_flags/blind_o.yml",
    "blind_p": ROOT / "tests/red_flags/blind_p.yml",
    "blind_q": ROOT / "tests/red_flags/blind_q.yml",
    "blind_r": ROOT / "tests/red_flags/blind_r.yml",
    "blind_s": ROOT / "tests/red_flags/blind_s.yml",
    "blind_t": ROOT / "tests/red_flags/blind_t.yml",
    "blind_u": ROOT / "tests/red_flags/blind_u.yml",
    "blind_v": ROOT / "tests/red_flags/blind_v.yml",
    "blind_w": ROOT / "tests/red_flags/blind_w.yml",
    "blind_x": ROOT / "tests/red_flags/blind_x.yml",
    "blind_y": ROOT / "tests/red_flags/blind_y.yml",
    "blind_z": ROOT / "tests/red_flags/blind_z.yml",
    "blind_aa": ROOT / "tests/red_flags/blind_aa.yml",
    "blind_ab": ROOT / "tests/red_flags/blind_ab.yml",
    "blind_ac": ROOT / "tests/red_flags/blind_ac.yml",
    "blind_ad": ROOT / "tests/red_flags/blind_ad.yml",
    "blind_ae": ROOT / "tests/red_flags/blind_ae.yml",
    "blind_af": ROOT / "tests/red_flags/blind_af.yml",
    "blind_ag": ROOT / "tests/red_flags/blind_ag.yml",
    "blind_ah": ROOT / "tests/red_flags/blind_ah.yml",
    "blind_ai": ROOT / "tests/red_flags/blind_ai.yml",
    "blind_aj": ROOT / "tests/red_flags/blind_aj.yml",
    "blind_ak": ROOT / "tests/red_flags/blind_ak.yml",
    "blind_al": ROOT / "tests/red_flags/blind_al.yml",
    "blind_am": ROOT / "tests/red_flags/blind_am.yml",
    "blind_an": ROOT / "tests/red_flags/blind_an.yml",
    "blind_ao": ROOT / "tests/red_flags/blind_ao.yml",
    "blind_ap": ROOT / "tests/red_flags/blind_ap.yml",
    "blind_aq": ROOT / "tests/red_flags/blind_aq.yml",
    "blind_ar": ROOT / "tests/red_flags/blind_ar.yml",
    "blind_as": ROOT / "tests/red_flags/blind_as.yml",
    "blind_at": ROOT / "tests/red_flags/blind_at.yml",
    "blind_au": ROOT / "tests/red_flags/blind_au.yml",
    "blind_av": ROOT / "tests/red_flags/blind_av.yml",
    "blind_aw": ROOT / "tests/red_flags/blind_aw.yml",
    "blind_ax": ROOT / "tests/red_flags/blind_ax.yml",
    "blind_ay": ROOT / "tests/red_flags/blind_ay.yml",
    "blind_az": ROOT / "tests/red_flags/blind_az.yml",
    "blind_ba": ROOT / "tests/red_flags/blind_ba.yml",
    "blind_bb": ROOT / "tests/red_flags/blind_bb.yml",
    "blind_bc": ROOT / "tests/red_flags/blind_bc.yml",
    "blind_bd": ROOT / "tests/red_flags/blind_bd.yml",
}
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


def print_learned_hold_out() -> None:
    """The learned safety net retrained without the newest round, on that round: unseen text."""
    from bot.safety import learned

    newest = ("blind_aw", "blind_ax", "blind_ay", "blind_az")
    scorer = learned.scorer(newest)
    cases = [c for name in newest for c in load_cases(SETS[name])]
    for tier in ("emergency", "none"):
        texts = [c.text for c in cases if c.tier == tier]
        hits = sum(len(t.split()) >= 6 and scorer.probability(t) >= 0.7 for t in texts)
        print(f"learned safety net, trained without AW-AZ, on AW-AZ {tier:<9}: {hits}/{len(texts)} at p >= 0.7")


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
        print_learned_hold_out()
    for label, text in (("20,000-char message", "jeg har ondt i nakken og ryggen " * 625),
                        ("2,000-char message", "det stikker ned i benet, " * 80)):
        started = time.perf_counter()
        detector.detect(text)
        print(f"{label}: {(time.perf_counter() - started) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
