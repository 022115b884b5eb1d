"""Keeps the last good content library in memory and reloads it when files change.

Shared by the NLG (Rasa process), the actions and the channel, so an editor's change
reaches the running bot within about a second, and a broken edit never takes it down.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from bot import settings
from bot.content import ContentError, Library, load_library

log = logging.getLogger(__name__)


class ContentStore:
    """Holds the last good content library and reloads it when files change."""

    def __init__(self, content_dir: Path | None = None, check_interval: float = 1.0) -> None:
        self.content_dir = Path(content_dir or settings.CONTENT_DIR)
        self.check_interval = check_interval
        self._lock = threading.Lock()
        self._signature: tuple[tuple[str, int, int], ...] = ()
        self._checked = 0.0
        self._library: Library | None = None
        self.get()

    def _current_signature(self) -> tuple[tuple[str, int, int], ...]:
        files = sorted(p for p in self.content_dir.rglob("*") if p.is_file())
        return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)

    def get(self) -> Library:
        now = time.monotonic()
        with self._lock:
            if self._library is not None and now - self._checked < self.check_interval:
                return self._library
            self._checked = now
            signature = self._current_signature()
            if signature != self._signature:
                self._signature = signature
                try:
                    self._library = load_library(self.content_dir)
                    log.info("content loaded: version %s", self._library.version)
                except ContentError as err:
                    if self._library is None:
                        raise
                    log.error("content change rejected, still serving version %s:\n%s",
                              self._library.version, err)
            assert self._library is not None
            return self._library


_default: ContentStore | None = None


def current_library() -> Library:
    """The process-wide library (created on first use)."""
    global _default
    if _default is None:
        _default = ContentStore()
    return _default.get()
