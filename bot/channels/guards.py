"""Input checks the REST channel applies before a message reaches Rasa.

Rasa treats any text starting with "/" as an intent (with optional entities and confidence), so a
patient could type `/greet{"urgency":"none"}` to downgrade urgency or `/red_flag_emergency` to fake
a classifier result. Only the payloads our buttons send are let through as intents.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass

# The payloads of the buttons in content/ (no entities, no "@confidence"). Keep in sync with the
# button payloads the content linter accepts.
ALLOWED_PAYLOAD = re.compile(
    r"^/(?:affirm|deny|unsure|describe_neck_pain|describe_leg_pain|request_summary|greet|restart"
    r"|ask_[a-z0-9_]+)$"
)
SENDER_ID = re.compile(r"^[A-Za-z0-9_.:\-]{8,128}$")


def sanitize_payload(text: str) -> str:
    """Pass allowed button payloads through; any other leading "/" is removed so it is plain text."""
    stripped = text.strip()
    if not stripped.startswith("/") or ALLOWED_PAYLOAD.match(stripped):
        return stripped
    return stripped.lstrip("/ \t\r\n")


def valid_sender(sender: object) -> bool:
    """Sender ids are the only key to a conversation: require a widget-generated random-looking id."""
    return isinstance(sender, str) and bool(SENDER_ID.match(sender))


@dataclass
class RateLimiter:
    """Sliding-window limit per sender, in process memory (conversations are sticky to one instance).

    Bounded memory: senders idle for a whole window are dropped on the next sweep.
    """

    limit: int = 20
    window: float = 60.0
    max_senders: int = 100_000

    def __post_init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    def allow(self, sender: str, now: float | None = None) -> bool:
        """Record one message; False when the sender already sent `limit` within `window` seconds."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if now >= self._next_sweep or len(self._hits) >= self.max_senders:
                self._sweep(now)
            hits = self._hits.setdefault(sender, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def _sweep(self, now: float) -> None:
        cutoff = now - self.window
        for sender in [s for s, hits in self._hits.items() if not hits or hits[-1] <= cutoff]:
            del self._hits[sender]
        self._next_sweep = now + self.window
