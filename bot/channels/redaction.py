"""Remove CPR numbers, phone numbers and e-mail addresses from patient text before Rasa sees it.

The bot never needs these to give advice, and whatever reaches Rasa is stored in the tracker
store (and may be logged), so the channel redacts first. Over-redaction (a number that merely
looks like a phone number) is accepted: losing it costs the conversation nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CPR_TOKEN = "[CPR]"
PHONE_TOKEN = "[telefon]"
EMAIL_TOKEN = "[e-mail]"

_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
# ddmmyy-xxxx, ddmmyyxxxx, ddmmyy xxxx: day 01-31 (61-91 for replacement numbers), month 01-12.
# The check digits are not validated: since 2007 CPR numbers need not satisfy modulus 11.
_CPR = re.compile(
    r"(?<!\d)(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])(?:0[1-9]|1[0-2])\d{2}[ \-]?\d{4}(?!\d)"
)
# Danish numbers are 8 digits, written 12345678, 12 34 56 78 or 1234 5678, optionally after +45,
# 0045 or (+45). Dates such as 12-03-2024 or 12.03.2024 do not match (no dashes or dots allowed).
_PHONE = re.compile(
    r"(?<![\d+])"
    r"(?:(?:\(\+45\)|\+45|0045)[ \-]?)?"
    r"(?:\d{8}|\d{2}(?: \d{2}){3}|\d{4} \d{4})"
    r"(?!\d)"
)


@dataclass(frozen=True)
class Redaction:
    """The redacted text and how many of each kind were removed (counts are safe to log)."""

    text: str
    cpr: int = 0
    phone: int = 0
    email: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.cpr or self.phone or self.email)


def redact(text: str) -> Redaction:
    """Replace personal identifiers; e-mail first (may contain digits), then CPR, then phone."""
    text, email = _EMAIL.subn(EMAIL_TOKEN, text)
    text, cpr = _CPR.subn(CPR_TOKEN, text)
    text, phone = _PHONE.subn(PHONE_TOKEN, text)
    return Redaction(text, cpr=cpr, phone=phone, email=email)
