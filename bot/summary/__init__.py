"""Written summary of a conversation and the check that it agrees with what was said.

    from bot.summary import build_summary, check
    summary = build_summary(events, lib)      # Markdown + the statements it makes
    report = check(events, lib, summary)      # report.ok is False on any severe finding

Both are pure functions over Rasa JSON events and the content library, so the action server, the
HTTP routes, the preview runner and CI all run exactly the same code.
"""

from __future__ import annotations

from bot.summary.builder import Statement, Summary, blocked_text, build_summary, nothing_to_summarise
from bot.summary.consistency import (
    SEVERE,
    WARNING,
    ConsistencyFinding,
    Report,
    check,
    check_tracker,
    check_tracker_file,
    tracker_files,
)
from bot.summary.events import events_of, replay

__all__ = [
    "SEVERE",
    "WARNING",
    "ConsistencyFinding",
    "Report",
    "Statement",
    "Summary",
    "blocked_text",
    "build_summary",
    "check",
    "check_tracker",
    "check_tracker_file",
    "events_of",
    "nothing_to_summarise",
    "replay",
    "tracker_files",
]
