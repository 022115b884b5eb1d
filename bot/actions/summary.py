"""`action_summary`: the written summary, sent only when it provably agrees with the conversation.

The neck guideline asks that written information matches what was said. The summary is built from the
delivered messages and checked before it is sent; any severe finding sends `utter_summary_blocked`
instead and logs the finding (ids only: message text is health data and stays out of logs).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.content import Library
from bot.content.store import current_library
from bot.summary import build_summary, check
from bot.summary.builder import BLOCKED_RESPONSE, EMPTY_RESPONSE, INTRO_RESPONSE
from bot.summary.events import current_session_start, events_of

log = logging.getLogger(__name__)


def session_events(tracker: Tracker) -> list[dict[str, Any]]:
    """This conversation's events (after the last restart or session start)."""
    events = events_of(tracker.events or [])
    return events[current_session_start(events):]


def summarise(tracker: Tracker, dispatcher: CollectingDispatcher, lib: Library) -> None:
    """Build, check and send the summary (or the reason there is none)."""
    events = session_events(tracker)
    summary = build_summary(events, lib)
    if summary.empty:
        dispatcher.utter_message(response=EMPTY_RESPONSE)
        return
    report = check(events, lib, summary)
    if not report.ok:
        report.log(log, tracker.sender_id)
        log.warning("summary blocked for sender=%s: %s", tracker.sender_id,
                    ",".join(sorted({f.code for f in report.severe})))
        dispatcher.utter_message(response=BLOCKED_RESPONSE)
        return
    report.log(log, tracker.sender_id)
    log.info("summary sent for sender=%s condition=%s recommendations=%s", tracker.sender_id,
             summary.condition, ",".join(summary.recommendation_ids))
    dispatcher.utter_message(
        response=INTRO_RESPONSE,
        summary_markdown=summary.markdown,
        filename=summary.filename,
        recommendations=summary.recommendation_ids,
    )


class ActionSummary(Action):
    """Answers `request_summary` with the checked written summary."""

    def name(self) -> str:
        return "action_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            lib = current_library()
        except Exception:  # content that cannot load must not leave the patient without an answer
            log.exception("summary: content library unavailable")
            dispatcher.utter_message(response=BLOCKED_RESPONSE)
            return []
        try:
            summarise(tracker, dispatcher, lib)
        except Exception:  # a bug here must block the summary, never send an unchecked one
            log.exception("summary failed for sender=%s", tracker.sender_id)
            dispatcher.messages.clear()
            dispatcher.utter_message(response=BLOCKED_RESPONSE)
        return []


class ActionCheckConsistency(Action):
    """Logs the consistency report of the conversation so far (for audits; says nothing to the patient)."""

    def name(self) -> str:
        return "action_check_consistency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            report = check(session_events(tracker), current_library())
        except Exception:
            log.exception("consistency check failed for sender=%s", tracker.sender_id)
            return []
        report.log(log, tracker.sender_id)
        if report.ok:
            log.info("consistency ok for sender=%s (%d warnings)", tracker.sender_id, len(report.findings))
        return []
