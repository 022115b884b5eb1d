"""Persistence: the SQL tracker store from one URL, and a Rasa restart mid-conversation loses nothing."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stores import StoreUnavailable, UrlLockStore, UrlSQLTrackerStore, normalise_db_url, wait_for_database
from tests.conftest import own_stack as isolated_stack


def test_url_parsing() -> None:
    url = normalise_db_url("postgres://rasa:hemmelig@db.local:5433/bot")
    assert (url.get_backend_name(), url.host, url.port, url.database, url.username) == (
        "postgresql", "db.local", 5433, "bot", "rasa")
    assert "hemmelig" not in url.render_as_string(hide_password=True)
    with pytest.raises(StoreUnavailable, match="unsupported"):
        normalise_db_url("mysql://x@y/z")


def test_default_is_sqlite_under_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import settings

    monkeypatch.delenv("TRACKER_DB_URL", raising=False)
    assert settings.tracker_db_url().startswith("sqlite:///")
    assert str(settings.CACHE_DIR) in settings.tracker_db_url()


def test_sqlite_store_round_trip_and_wal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'tracker.db'}"
    store = UrlSQLTrackerStore(domain=Domain.empty(), url=url)
    tracker = DialogueStateTracker.from_events("p1", [
        ActionExecuted("action_listen"), UserUttered("hej", {"name": "greet"}), SlotSet("condition", "neck")])
    asyncio.run(store.save(tracker))
    again = UrlSQLTrackerStore(domain=Domain.empty(), url=url)  # a "restarted" process
    loaded = asyncio.run(again.retrieve("p1"))
    assert loaded is not None and [e.as_dict()["event"] for e in loaded.events] == ["action", "user", "slot"]
    with sqlite3.connect(tmp_path / "sub" / "tracker.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_reads_and_writes_exactly_what_rasas_own_sql_store_does(tmp_path: Path) -> None:
    """Our faster queries must not change which events a restarted bot sees: same rows, same sessions."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import SessionStarted

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    domain = Domain.from_dict({"slots": {"condition": {"type": "text", "mappings": [{"type": "custom"}]}}})
    ours = UrlSQLTrackerStore(domain=domain, url=url)
    first = [ActionExecuted("action_session_start", timestamp=1.0), SessionStarted(timestamp=1.0),
             ActionExecuted("action_listen", timestamp=1.1), UserUttered("hej", {"name": "greet"}, timestamp=1.2),
             SlotSet("condition", "neck", timestamp=1.3)]
    tracker = DialogueStateTracker.from_events("p2", first, domain.slots)
    asyncio.run(ours.save(tracker))
    for event in [ActionExecuted("action_session_start", timestamp=5.0), SessionStarted(timestamp=5.0),
                  SlotSet("condition", "neck", timestamp=5.0), UserUttered("igen", {"name": "greet"}, timestamp=5.1)]:
        tracker.update(event)
    asyncio.run(ours.save(tracker))
    reloaded = asyncio.run(ours.retrieve("p2"))
    assert reloaded is not None
    asyncio.run(ours.save(reloaded))  # the next turn saves what it loaded: nothing is added twice
    rasa = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))

    def dump(found: DialogueStateTracker | None) -> list[dict[str, Any]]:
        assert found is not None
        return [e.as_dict() for e in found.events]

    latest = dump(asyncio.run(ours.retrieve("p2")))
    assert latest == dump(asyncio.run(rasa.retrieve("p2")))
    assert [e["event"] for e in latest] == ["action", "session_started", "slot", "user"]  # latest session only
    full = dump(asyncio.run(ours.retrieve_full_tracker("p2")))
    assert full == dump(asyncio.run(rasa.retrieve_full_tracker("p2"))) and len(full) == 9
    assert asyncio.run(ours.retrieve("nobody")) is None
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        assert db.execute("SELECT count(*), count(DISTINCT intent_name) FROM events").fetchone() == (9, 1)


def test_each_event_is_stored_once_across_loads_copies_and_a_failed_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The store remembers how many events a loaded tracker already has in the database (no COUNT query
    per save); copies, trackers built elsewhere and a save that failed must fall back to counting."""
    import copy

    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = UrlSQLTrackerStore(domain=Domain.empty(), url=url)

    def texts() -> list[str]:
        with sqlite3.connect(tmp_path / "tracker.db") as db:
            rows = db.execute("SELECT data FROM events WHERE type_name = 'user' ORDER BY id").fetchall()
        return [json.loads(data)["text"] for (data,) in rows]

    asyncio.run(store.save(DialogueStateTracker.from_events("p3", [UserUttered("1")])))
    loaded = asyncio.run(store.retrieve("p3"))
    assert loaded is not None
    loaded.update(UserUttered("2"))
    asyncio.run(store.save(loaded))
    loaded.update(UserUttered("3"))
    asyncio.run(store.save(loaded))  # the same object saved twice in one turn
    twin = copy.deepcopy(loaded)
    twin.update(UserUttered("4"))
    asyncio.run(store.save(twin))  # a copy: counted, not trusted
    assert texts() == ["1", "2", "3", "4"]

    again = asyncio.run(store.retrieve("p3"))
    assert again is not None
    again.update(UserUttered("5"))
    real_commit, calls = sa.orm.Session.commit, []

    def commit_fails_once(session: Any) -> None:
        calls.append(1)
        real_commit(session)
        if len(calls) == 1:  # committed, but the connection dropped before the answer came back
            raise sa.exc.OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(sa.orm.Session, "commit", commit_fails_once)
    with pytest.raises(sa.exc.OperationalError):
        asyncio.run(store.save(again))
    asyncio.run(store.save(again))  # Rasa saves again on the next turn
    assert texts() == ["1", "2", "3", "4", "5"]


def test_unreachable_postgres_fails_fast_and_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from bot.stores import create_engine

    monkeypatch.setenv("STORE_CONNECT_TIMEOUT", "1")
    start = time.monotonic()
    with pytest.raises(StoreUnavailable, match=r"Tracker store: cannot connect to postgresql .*TRACKER_DB_URL"):
        UrlSQLTrackerStore(domain=Domain.empty(), url="postgresql://rasa:pw@127.0.0.1:9/rasa")
    assert time.monotonic() - start < 10
    with pytest.raises(StoreUnavailable):
        wait_for_database(create_engine("postgresql://rasa@127.0.0.1:9/rasa"), "x", timeout=0)


def test_lock_store_from_url(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.lock_store import InMemoryLockStore

    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    assert isinstance(UrlLockStore(endpoint_config=None), InMemoryLockStore)
    monkeypatch.setenv("LOCK_STORE_URL", "redis://127.0.0.1:9/0")
    monkeypatch.setenv("STORE_CONNECT_TIMEOUT", "0.5")
    with pytest.raises(StoreUnavailable, match=r"Lock store: cannot connect to Redis at 127.0.0.1:9 .*LOCK_STORE_URL"):
        UrlLockStore(endpoint_config=None)


# ------------------------------------------------------------------ e2e: restart Rasa mid-conversation

@pytest.fixture(scope="module")
def own_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with isolated_stack(tmp_path_factory.mktemp("persist")) as stack:
        yield stack


def _history(chat: Any) -> list[tuple[str, str | None]]:
    return [(e["event"], e.get("text") or e.get("name")) for e in chat.tracker()["events"]
            if e["event"] in ("user", "bot", "slot", "action")]


@pytest.mark.e2e
def test_rasa_restart_loses_nothing(own_stack: Any) -> None:
    from tests.conftest import Chat

    chat = Chat(own_stack)
    chat.say("Hej")
    chat.say("Jeg har fået ondt i nakken")
    before = chat.tracker()
    assert before["slots"].get("condition") == "neck"
    history = _history(chat)

    own_stack.stop_process("rasa")
    own_stack.start_rasa()
    own_stack.wait_ready(240)

    after = chat.tracker()
    assert after["slots"] == before["slots"], "slots survive the restart"
    assert _history(chat)[: len(history)] == history, "history survives the restart"
    replies = chat.say("nej")  # the conversation continues where it was (e.g. inside the screening)
    assert replies
    assert chat.tracker()["slots"].get("condition") == "neck"
    users = [e.get("text") for e in chat.tracker()["events"] if e["event"] == "user"]
    assert users[:2] == ["Hej", "Jeg har fået ondt i nakken"] and users[-1] == "nej"
