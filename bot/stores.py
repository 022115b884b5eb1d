"""Tracker and lock stores configured by one URL each (TRACKER_DB_URL, LOCK_STORE_URL).

Rasa's SQLTrackerStore wants dialect/host/port/db/user/password separately and, when the database
is unreachable, retries forever every 5 s; Rasa's Redis lock store connects lazily and fails on the
first message. For a clinic service a missing database must stop the start with a message that says
what is missing, so both stores are checked here within STORE_CONNECT_TIMEOUT seconds (default 10).

endpoints.yml:
    tracker_store: {type: bot.stores.UrlSQLTrackerStore}   # SQLite under .cache/ unless TRACKER_DB_URL
    lock_store: {type: bot.stores.UrlLockStore}            # in-memory unless LOCK_STORE_URL
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import URL, Engine, make_url

from bot import settings
from bot.lock_store import AsyncRedisLockStore

log = logging.getLogger(__name__)
T = TypeVar("T")


class StoreUnavailable(RuntimeError):
    """A configured store cannot be reached; the message names the store and the variable."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        log.error("%s", message)  # one clear line before Rasa's traceback


def connect_timeout() -> float:
    """How long a starting server waits for its database / Redis (they may start alongside it)."""
    raw = os.environ.get("STORE_CONNECT_TIMEOUT", "").strip()
    return float(raw) if raw else 10.0


def normalise_db_url(url: str) -> URL:
    """`postgres://` (Heroku style) and `postgresql://` both mean psycopg2."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url)
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreUnavailable(f"TRACKER_DB_URL: unsupported database '{parsed.drivername}' "
                               "(use sqlite:///path or postgresql://user:password@host:port/db)")
    return parsed


def describe(url: URL) -> str:
    """The URL without its password, for messages and logs."""
    return url.render_as_string(hide_password=True)


def create_engine(url: str | URL, autocommit: bool = False) -> Engine:
    """Engine for the tracker database; SQLite gets WAL so retention can run next to a live bot.
    `autocommit` (PostgreSQL): every statement commits by itself, for single-SELECT reads."""
    parsed = normalise_db_url(str(url)) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # SQLAlchemy 1.4 opens a new SQLite connection per session (NullPool): with the pragmas below
        # that was 8 % of the Rasa process under load. A small pool keeps them open; WAL lets readers
        # (retention, another process) work alongside.
        engine = sa.create_engine(
            parsed, connect_args={"timeout": 15, "check_same_thread": False},
            poolclass=sa.pool.QueuePool, pool_size=4, max_overflow=8,
        )

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    # No pool_pre_ping: it cost a round trip per checkout (two per turn). A connection the server has
    # dropped is retried once instead (UrlSQLTrackerStore._call).
    if autocommit:
        return sa.create_engine(parsed, connect_args={"connect_timeout": 3}, isolation_level="AUTOCOMMIT")
    return sa.create_engine(parsed, connect_args={"connect_timeout": 3})


def wait_for_database(engine: Engine, what: str, timeout: float | None = None) -> None:
    """Connect once within `timeout` seconds or raise StoreUnavailable naming the database."""
    timeout = connect_timeout() if timeout is None else timeout
    deadline = time.monotonic() + timeout
    while True:
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return
        except sa.exc.OperationalError as exc:
            if time.monotonic() >= deadline:
                reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
                raise StoreUnavailable(
                    f"{what}: cannot connect to {engine.dialect.name} database {describe(engine.url)} "
                    f"(from TRACKER_DB_URL) after {timeout:.0f} s: {reason}"
                ) from None
            time.sleep(0.5)


def _finish(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends (SQLTrackerStore's methods only do blocking I/O)."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coro.close()
    raise RuntimeError("tracker store coroutine suspended; cannot run it in a worker thread")


class UrlSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore from one URL (TRACKER_DB_URL; SQLite under .cache/ by default).

    Rasa's SQL store does blocking database I/O inside `async def`, which stalls every conversation of
    the process while one waits for the database. Here those calls run in a worker thread; the lock
    store still serialises each conversation, so the order of its events is unchanged.
    """

    def __init__(
        self,
        domain: Any = None,
        host: str | None = None,
        event_broker: Any = None,
        url: str | None = None,
        **kwargs: Any,
    ) -> None:
        raw = url or (host if host and "://" in host else None) or settings.tracker_db_url()
        parsed = normalise_db_url(raw)
        engine = create_engine(parsed)
        wait_for_database(engine, "Tracker store")
        engine.dispose()
        kwargs.pop("dialect", None)
        super().__init__(domain=domain, host=parsed.render_as_string(hide_password=False),
                         event_broker=event_broker, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            # The parent's engine, with our pragmas (WAL) and lock timeout.
            self.engine.dispose()
            self.engine = create_engine(parsed)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
            self.read_engine = self.engine
        else:
            # Reads run in autocommit on their own small pool: one SELECT, no BEGIN and ROLLBACK
            # round trips, and no isolation-level switch on every checkout.
            self.read_engine = create_engine(parsed, autocommit=True)
        # PostgreSQL waits on the network, so a thread frees the event loop; SQLite is local and
        # measured slightly faster without the thread hop (docs/performance.md). TRACKER_STORE_THREADS=0/1.
        default = "1" if parsed.get_backend_name() == "postgresql" else "0"
        self.offload = os.environ.get("TRACKER_STORE_THREADS", default) != "0"
        log.info("Tracker store: %s", describe(parsed))

    async def _call(self, make: Callable[[], Coroutine[Any, Any, T]]) -> T:
        """Run one store operation; once more if the database had dropped the pooled connection
        (a restarted PostgreSQL). Both operations are safe to repeat: a save stores only the events
        the database does not have yet."""
        for attempt in (1, 2):
            try:
                if self.offload and self.event_broker is None:
                    return await asyncio.to_thread(_finish, make())
                return await make()
            except sa.exc.DBAPIError as exc:
                if attempt == 2 or not exc.connection_invalidated:
                    raise
                log.warning("Tracker store: the database connection was lost; trying once more")
        raise AssertionError("unreachable")

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._call(lambda: super(UrlSQLTrackerStore, self).retrieve(sender_id))

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._call(lambda: super(UrlSQLTrackerStore, self).retrieve_full_tracker(conversation_id))

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self._call(lambda: self._save(tracker))

    # Same queries and rows as Rasa's SQLTrackerStore, in SQLAlchemy Core rather than the ORM: the
    # ORM built an object per stored event on every turn (a third of the Rasa process's time under
    # load went to the tracker store in a py-spy profile; docs/performance.md).

    def _in_session(self, sender_id: str, all_sessions: bool) -> Any:
        """WHERE clause: this sender's events, from its latest SessionStarted on unless `all_sessions`."""
        event = self.SQLEvent
        mine = event.sender_id == sender_id
        if all_sessions:
            return mine
        start = (
            sa.select(sa.func.max(event.timestamp))
            .where(event.sender_id == sender_id, event.type_name == SessionStarted.type_name)
            .correlate(None)
            .scalar_subquery()
        )
        return sa.and_(mine, sa.or_(event.timestamp >= start, start.is_(None)))

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        query = sa.select(self.SQLEvent.data).where(self._in_session(sender_id, fetch_events_from_all_sessions))
        with self.read_engine.connect() as conn:
            rows = conn.execute(query.order_by(self.SQLEvent.id)).scalars().all()
        if not self.domain or not rows:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row) for row in rows], self.domain.slots)
        if not fetch_events_from_all_sessions:
            _remember_stored(tracker, len(rows))
        return tracker

    async def _save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        stored = _stored_count(tracker)
        setattr(tracker, _STORED_ATTR, None)  # until this save is known to have committed
        with self.session_scope() as session:
            if stored is None:  # a tracker this store did not load: ask the database (Rasa's way)
                count = sa.select(sa.func.count()).select_from(self.SQLEvent.__table__)
                stored = session.execute(count.where(self._in_session(tracker.sender_id, False))).scalar_one()
            rows = []
            for event in itertools.islice(tracker.events, stored, None):
                data = event.as_dict()
                rows.append({
                    "sender_id": tracker.sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                    "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    "action_name": data.get("name"), "data": json.dumps(data),
                })
            if rows:
                session.execute(sa.insert(self.SQLEvent.__table__), rows)
            session.commit()
        _remember_stored(tracker, stored + len(rows))

    async def keys(self) -> Any:
        return await self._call(lambda: super(UrlSQLTrackerStore, self).keys())


# How many of a tracker's events the database already holds, remembered on the tracker object the
# store loaded (the lock store keeps the conversation to this one process from retrieve to save).
# That saves the COUNT query on every save. A copy of the tracker, or a tracker built elsewhere, has
# another id and falls back to counting.
_STORED_ATTR = "_bot_stored_events"


def _remember_stored(tracker: DialogueStateTracker, count: int) -> None:
    setattr(tracker, _STORED_ATTR, (id(tracker), count, len(tracker.events)))


def _stored_count(tracker: DialogueStateTracker) -> int | None:
    mark = getattr(tracker, _STORED_ATTR, None)
    if mark is None or mark[0] != id(tracker) or len(tracker.events) < mark[2]:
        return None
    return int(mark[1])


def _redis_lock_store(url: str) -> RedisLockStore:
    """A RedisLockStore for redis://[user:password@]host:port/db, checked with PING."""
    import redis

    try:
        store = AsyncRedisLockStore(url)
    except ValueError as exc:
        raise StoreUnavailable(f"LOCK_STORE_URL: {exc}") from None
    timeout = connect_timeout()
    deadline = time.monotonic() + timeout
    while True:
        try:
            store.red.ping()
            return store
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError) as exc:
            if time.monotonic() >= deadline:
                raise StoreUnavailable(
                    f"Lock store: cannot connect to Redis at {store.address} (from LOCK_STORE_URL) "
                    f"after {timeout:.0f} s: {exc}"
                ) from None
            time.sleep(0.5)


class UrlLockStore:
    """endpoints.yml lock_store type: Redis when LOCK_STORE_URL is set (several Rasa instances),
    otherwise Rasa's in-memory lock store (one instance)."""

    def __new__(cls, endpoint_config: Any = None) -> LockStore:  # type: ignore[misc]
        url = os.environ.get("LOCK_STORE_URL", "").strip()
        if not url:
            return InMemoryLockStore()
        store = _redis_lock_store(url)
        log.info("Lock store: Redis %s", url.split("@")[-1])
        return store
