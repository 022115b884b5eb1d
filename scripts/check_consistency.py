"""Check stored conversations: does the written summary agree with what the bot said?

    python scripts/check_consistency.py build/preview/trackers/          # every *.json in the folder
    python scripts/check_consistency.py a.json b.json --json             # machine-readable report
    python scripts/check_consistency.py build/preview/trackers --fail-on-warnings

Each file is a Rasa tracker (GET /conversations/<id>/tracker) or a bare list of events. Exit code 1
when any finding is severe (or any finding at all with --fail-on-warnings), 2 when nothing could be
checked. Output names codes and ids only, never message text.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.content import ContentError, load_library  # noqa: E402
from bot.summary import check_tracker_file, tracker_files  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path, help="tracker JSON files or folders of them")
    parser.add_argument("--content-dir", type=Path, default=None, help="content/ to check against")
    parser.add_argument("--json", action="store_true", help="print one JSON report instead of a table")
    parser.add_argument("--fail-on-warnings", action="store_true", help="exit 1 on warnings too")
    args = parser.parse_args(argv)

    try:
        lib = load_library(args.content_dir)
    except ContentError as exc:
        print(f"content does not load: {exc}", file=sys.stderr)
        return 2
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print("not found: " + ", ".join(str(p) for p in missing), file=sys.stderr)
        return 2
    files = tracker_files(args.paths)
    if not files:
        print("no tracker files found", file=sys.stderr)
        return 2

    results: dict[str, dict] = {}
    for path in files:
        try:
            results[str(path)] = check_tracker_file(path, lib).to_dict()
        except (OSError, ValueError) as exc:
            results[str(path)] = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "findings": [
                {"code": "UNREADABLE", "severity": "severe", "message": "tracker file cannot be read",
                 "event_index": None, "content_id": None, "recommendation": None}]}

    severe = sum(1 for r in results.values() for f in r["findings"] if f["severity"] == "severe")
    warnings = sum(1 for r in results.values() for f in r["findings"] if f["severity"] != "severe")
    if args.json:
        print(json.dumps({"ok": severe == 0, "content_version": lib.version, "files": results},
                         ensure_ascii=False, indent=2))
    else:
        for name, result in results.items():
            print(f"{'OK  ' if result['ok'] else 'FAIL'} {name}")
            for f in result["findings"]:
                where = f"event {f['event_index']}" if f["event_index"] is not None else "-"
                ids = " ".join(x for x in (f["content_id"], f["recommendation"]) if x)
                print(f"     {f['severity']:<8} {f['code']:<24} {where:<10} {ids}  {f['message']}")
        print(f"{len(results)} conversation(s), {severe} severe, {warnings} warning(s)")
    if severe or (args.fail_on_warnings and warnings):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
