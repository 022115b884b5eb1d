"""Check content/ the way the bot will read it: one line per finding, exit 1 on any error.

Usage: .venv/bin/python scripts/lint_content.py [--content DIR] [--domain FILE] [--data DIR] [--errors-only]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import settings  # noqa: E402
from bot.content import lint  # noqa: E402


def _display(path: Path) -> str:
    """Paths relative to the project, so editors can click or copy them."""
    try:
        return str(path.resolve().relative_to(settings.ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    """Print findings and return the exit code (0 clean or warnings only, 1 errors)."""
    parser = argparse.ArgumentParser(description="Lint content/ (messages, guidelines.yml, red_flags.yml).")
    parser.add_argument("--content", type=Path, default=None, help="content directory (default: content/)")
    parser.add_argument("--domain", type=Path, default=None, help="Rasa domain.yml (default: domain.yml)")
    parser.add_argument("--data", type=Path, default=None, help="stories/rules directory (default: bot/data)")
    parser.add_argument("--errors-only", action="store_true", help="hide warnings")
    args = parser.parse_args(argv)

    findings = lint(args.content, args.domain, args.data)
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    for finding in findings:
        if args.errors_only and finding.severity != "error":
            continue
        label = "" if finding.severity == "error" else " (advarsel)"
        print(f"{_display(finding.path)}:{finding.line}: {finding.code}{label} {finding.message}")
    print(f"{len(errors)} fejl, {len(warnings)} advarsler")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
