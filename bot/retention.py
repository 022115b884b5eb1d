"""Delete conversations nobody has touched for N days: `python -m bot.retention [--days N]`.

A conversation is deleted whole (every event of its sender id) when its latest event is older than
the cutoff, so no half-conversation is left behind. Works on the tracker store Rasa uses
(TRACKER_DB_URL: SQLite by default, PostgreSQL in production); run it daily (cron / systemd timer).
Prints counts only, never conversation content.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

import sqlalchemy as sa

from bot import settings
from bot.stores import StoreUnavailable, create_engine, describe, normalise_db_url, wait_for_database

log = logging.getLogger("retention")
BATCH = 500


def purge(url: str, days: float, now: float | None = None, dry_run: bool = False) -> tuple[int, int]:
    """Delete senders whose newest event is older than `days`; returns (conversations, events)."""
    cutoff = (time.time() if now is None else now) - days * 86400
    engine = create_engine(url)
    try:
        wait_for_database(engine, "Retention", timeout=5)
        if not sa.inspect(engine).has_table("events"):
            return 0, 0
        events = sa.table("events", sa.column("sender_id"), sa.column("timestamp"))
        stale = (
            sa.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sa.func.max(sa.func.coalesce(events.c.timestamp, 0)) < cutoff)
        )
        conversations = removed = 0
        with engine.begin() as conn:
            senders = [row[0] for row in conn.execute(stale)]
            conversations = len(senders)
            for start in range(0, len(senders), BATCH):
                chunk = senders[start : start + BATCH]
                if dry_run:
                    count = sa.select(sa.func.count()).select_from(events).where(events.c.sender_id.in_(chunk))
                    removed += conn.execute(count).scalar_one()
                else:
                    # Re-check the age inside the delete so a conversation resumed meanwhile survives.
                    fresh = sa.select(events.c.sender_id).where(
                        events.c.sender_id.in_(chunk), events.c.timestamp >= cutoff
                    )
                    result = conn.execute(
                        events.delete().where(events.c.sender_id.in_(chunk), events.c.sender_id.not_in(fresh))
                    )
                    removed += result.rowcount or 0
        return conversations, removed
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=settings.RETENTION_DAYS,
                        help=f"keep conversations active within this many days (default {settings.RETENTION_DAYS},"
                             " RETENTION_DAYS)")
    parser.add_argument("--db", default=None, help="database URL (default: TRACKER_DB_URL / SQLite in .cache/)")
    parser.add_argument("--dry-run", action="store_true", help="count only, delete nothing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.days < 0:
        parser.error("--days must be >= 0")
    url = args.db or settings.tracker_db_url()
    try:
        conversations, removed = purge(url, args.days, dry_run=args.dry_run)
    except StoreUnavailable:
        return 2  # already logged with what is missing
    verb = "would delete" if args.dry_run else "deleted"
    log.info("%s %d conversations (%d events) inactive for more than %g days in %s", verb, conversations,
             removed, args.days, describe(normalise_db_url(url)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
