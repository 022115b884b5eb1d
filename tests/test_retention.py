"""`python -m bot.retention --days N` deletes whole conversations whose latest event is older than N days."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import settings
from bot.retention import purge
from bot.stores import UrlSQLTrackerStore

DAY = 86400.0


def _store_conversation(store: UrlSQLTrackerStore, sender: str, turns: int = 3) -> None:
    events = []
    for i in range(turns):
        events += [ActionExecuted("action_listen"), UserUttered(f"besked {i}", {"name": "greet"})]
    events.append(SlotSet("condition", "neck"))
    tracker = DialogueStateTracker.from_events(sender, events)
    asyncio.run(store.save(tracker))


def _backdate(db: Path, sender: str, days_ago: float, only_latest: bool = False) -> None:
    ts = time.time() - days_ago * DAY
    with sqlite3.connect(db) as conn:
        if only_latest:
            conn.execute("UPDATE events SET timestamp = ? WHERE id = (SELECT max(id) FROM events WHERE sender_id = ?)",
                         (ts, sender))
        else:
            conn.execute("UPDATE events SET timestamp = ? WHERE sender_id = ?", (ts, sender))


def _senders(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT sender_id, count(*) FROM events GROUP BY sender_id").fetchall())


def _setup(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "tracker.db"
    url = f"sqlite:///{db}"
    store = UrlSQLTrackerStore(domain=Domain.empty(), url=url)
    for sender in ("old", "recent", "mixed", "fresh"):
        _store_conversation(store, sender)
    _backdate(db, "old", 45)
    _backdate(db, "recent", 10)
    _backdate(db, "mixed", 60)
    _backdate(db, "mixed", 1, only_latest=True)  # resumed yesterday: must survive whole
    return db, url


def test_purge_deletes_whole_stale_conversations(tmp_path: Path) -> None:
    db, url = _setup(tmp_path)
    before = _senders(db)
    assert purge(url, 30, dry_run=True) == (1, before["old"])
    assert _senders(db) == before, "dry run deletes nothing"
    assert purge(url, 30) == (1, before["old"])
    after = _senders(db)
    assert "old" not in after
    assert after == {k: v for k, v in before.items() if k != "old"}
    assert purge(url, 5) == (1, before["recent"])
    assert set(_senders(db)) == {"mixed", "fresh"}


def test_command_line(tmp_path: Path) -> None:
    db, url = _setup(tmp_path)
    env = {**os.environ, "TRACKER_DB_URL": url, "PYTHONPATH": str(settings.ROOT), "RETENTION_DAYS": "30"}
    run = subprocess.run([sys.executable, "-m", "bot.retention"], env=env, capture_output=True, text=True,
                         timeout=120, cwd=settings.ROOT)
    assert run.returncode == 0, run.stderr
    assert "deleted 1 conversations" in run.stderr
    assert set(_senders(db)) == {"recent", "mixed", "fresh"}
    run = subprocess.run([sys.executable, "-m", "bot.retention", "--days", "5"], env=env, capture_output=True,
                         text=True, timeout=120, cwd=settings.ROOT)
    assert run.returncode == 0 and set(_senders(db)) == {"mixed", "fresh"}
    assert "besked" not in run.stderr + run.stdout, "never prints conversation content"


def test_missing_table_and_unreachable_db(tmp_path: Path) -> None:
    assert purge(f"sqlite:///{tmp_path / 'empty.db'}", 30) == (0, 0)
    env = {**os.environ, "PYTHONPATH": str(settings.ROOT)}
    run = subprocess.run([sys.executable, "-m", "bot.retention", "--db", "postgresql://u:secret@127.0.0.1:9/x"],
                         env=env, capture_output=True, text=True, timeout=60, cwd=settings.ROOT)
    assert run.returncode == 2 and "cannot connect" in run.stderr and "secret" not in run.stderr
