"""Summarise Rasa's NLU intent report and check the held-out set against the training data.

Report (after `rasa test nlu --nlu tests/nlu_test/heldout.yml --out results/nlu`):

    python scripts/report_nlu.py [results/nlu/intent_report.json] [--min 0.8]

prints precision / recall / F1 / support per intent, sorted by F1 (worst first), and the macro F1
over the intents in the test set (support > 0; the accuracy / avg rows are skipped); exits 1 if the
macro F1 is below --min (2 if the report is missing or empty).

Overlap check (no Rasa needed):

    python scripts/report_nlu.py --check-overlap [--train bot/data/nlu.yml] [--heldout tests/nlu_test/heldout.yml]

fails if a held-out example equals a training example after lowercasing and whitespace folding
(punctuation is ignored too), or if the training data repeats an example.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CANDIDATES = (
    REPO / "results" / "intent_report.json",
    REPO / "results" / "nlu" / "intent_report.json",
)
DEFAULT_TRAIN = REPO / "bot" / "data" / "nlu.yml"
DEFAULT_HELDOUT = REPO / "tests" / "nlu_test" / "heldout.yml"
SUMMARY_ROWS = {"accuracy", "macro avg", "weighted avg", "micro avg"}

_ENTITY = re.compile(r"\[([^\]]*)\]\((?:[^)]*)\)|\[([^\]]*)\]\{[^}]*\}")
_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lowercase, drop entity markup and punctuation, fold whitespace."""
    text = _ENTITY.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    text = _PUNCT.sub(" ", text.lower())
    return _SPACE.sub(" ", text).strip()


def load_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, example) pairs from a Rasa 3.x NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs: list[tuple[str, str]] = []
    for block in data.get("nlu") or []:
        intent = block.get("intent")
        if not intent:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((intent, line[2:].strip()))
    return pairs


def check_overlap(train_path: Path, heldout_path: Path) -> int:
    train = load_examples(train_path)
    heldout = load_examples(heldout_path)
    problems: list[str] = []

    seen: dict[str, tuple[str, str]] = {}
    for intent, text in train:
        key = normalise(text)
        if key in seen:
            other_intent, other_text = seen[key]
            problems.append(f"training duplicate: {text!r} ({intent}) ~ {other_text!r} ({other_intent})")
        else:
            seen[key] = (intent, text)

    heldout_seen: dict[str, str] = {}
    for intent, text in heldout:
        key = normalise(text)
        if key in seen:
            other_intent, other_text = seen[key]
            problems.append(f"held-out {text!r} ({intent}) equals training {other_text!r} ({other_intent})")
        if key in heldout_seen:
            problems.append(f"held-out duplicate: {text!r} ({intent})")
        heldout_seen[key] = intent

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for intent, _ in train:
        counts[intent][0] += 1
    for intent, _ in heldout:
        counts[intent][1] += 1
    missing = sorted(i for i, (n_train, _) in counts.items() if n_train == 0)
    for intent in missing:
        problems.append(f"held-out intent {intent!r} has no training examples")

    print(f"{'intent':32} {'train':>6} {'heldout':>8}")
    for intent in sorted(counts):
        n_train, n_heldout = counts[intent]
        print(f"{intent:32} {n_train:6d} {n_heldout:8d}")
    print(f"{'total':32} {len(train):6d} {len(heldout):8d}")

    for problem in problems:
        print("FAIL:", problem, file=sys.stderr)
    if problems:
        return 1
    print("OK: no held-out example matches a training example")
    return 0


def find_report(arg: str | None) -> Path:
    if arg:
        path = Path(arg)
        if path.is_dir():
            path = path / "intent_report.json"
        return path
    for candidate in DEFAULT_CANDIDATES:
        if candidate.exists():
            return candidate
    return DEFAULT_CANDIDATES[0]


def report(path: Path, minimum: float) -> int:
    if not path.exists():
        print(f"no intent report at {path} (run `rasa test nlu ... --out results/nlu` first)", file=sys.stderr)
        return 2
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [
        (name, values)
        for name, values in data.items()
        if name not in SUMMARY_ROWS and isinstance(values, dict) and "f1-score" in values
    ]
    if not rows:
        print(f"no intent rows in {path}", file=sys.stderr)
        return 2
    rows.sort(key=lambda row: (row[1]["f1-score"], row[0]))

    print(f"{'intent':32} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
    for name, values in rows:
        print(
            f"{name:32} {values.get('precision', 0.0):9.3f} {values.get('recall', 0.0):7.3f} "
            f"{values['f1-score']:6.3f} {int(values.get('support', 0)):8d}"
        )
    # Labels that were only predicted (support 0, e.g. nlu_fallback) are shown but left out of the
    # macro average: their misses already lower the recall of the intents they were taken from.
    scored = [values["f1-score"] for _, values in rows if int(values.get("support", 0)) > 0]
    if not scored:
        print(f"no intent with support > 0 in {path}", file=sys.stderr)
        return 2
    macro_f1 = sum(scored) / len(scored)
    print(f"\nmacro F1 over {len(scored)} intents (support > 0): {macro_f1:.3f}")
    if "accuracy" in data:
        print(f"accuracy: {float(data['accuracy']):.3f}")

    if macro_f1 < minimum:
        print(f"FAIL: macro F1 {macro_f1:.3f} < --min {minimum:.3f}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("report", nargs="?", help="intent_report.json (or the directory holding it)")
    parser.add_argument("--min", type=float, default=0.0, help="minimum macro F1 (default 0)")
    parser.add_argument("--check-overlap", action="store_true", help="check held-out vs training data")
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--heldout", type=Path, default=DEFAULT_HELDOUT)
    args = parser.parse_args(argv)

    if args.check_overlap:
        return check_overlap(args.train, args.heldout)
    return report(find_report(args.report), args.min)


if __name__ == "__main__":
    sys.exit(main())
