"""Persistence: the SQL tracker store from one URL, and a Rasa restart mid-conversation loses nothing."""

from __future__ import annotations

import asyncio
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
