"""Content system: the only code that reads content/ (guidelines, messages, red flags).

    from bot.content import load_library, lint
    lib = load_library()                       # raises ContentError on any error finding
    lib.resolve("utter_treatment_massage", "neck").render(slots)
"""

from __future__ import annotations

from bot.content.catalogue import Guideline, Recommendation, Strength
from bot.content.checks import TEMPLATE_FIELDS
from bot.content.errors import ContentError, Finding
from bot.content.library import (
    ANSWER_BUTTONS_RESPONSE,
    ASK_CONDITION_FIRST,
    NOT_COVERED,
    Library,
    build_library,
    content_version,
    load_library,
)
from bot.content.lint import lint
from bot.content.messages import Message
from bot.content.red_flags import TIER_RANK, TIERS, RedFlag, load_red_flags

__all__ = [
    "ANSWER_BUTTONS_RESPONSE",
    "ASK_CONDITION_FIRST",
    "NOT_COVERED",
    "TEMPLATE_FIELDS",
    "TIER_RANK",
    "TIERS",
    "ContentError",
    "Finding",
    "Guideline",
    "Library",
    "Message",
    "Recommendation",
    "RedFlag",
    "Strength",
    "build_library",
    "content_version",
    "lint",
    "load_library",
    "load_red_flags",
]
