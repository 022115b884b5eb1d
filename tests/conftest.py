"""Shared fixtures: one live bot (Rasa + actions + web page) per test session for e2e tests."""

from __future__ import annotations

import contextlib
import json
import os
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import settings

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


class Chat:
    """A patient talking to the bot over the REST channel, as the web widget does."""

    def __init__(self, stack: Any, sender: str | None = None) -> None:
        self.stack = stack
        self.sender = sender or f"test-{uuid.uuid4().hex}"

    def say(self, text: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": self.sender, "message": text}).encode()
        req = urllib.request.Request(f"{self.stack.rasa_url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read())

    def tracker(self) -> dict[str, Any]:
        url = f"{self.stack.rasa_url}/conversations/{self.sender}/tracker?token={self.stack.token}"
        with urllib.request.urlopen(url, timeout=30) as resp:
            return json.loads(resp.read())

    def bot_events(self) -> list[dict[str, Any]]:
        return [e for e in self.tracker()["events"] if e["event"] == "bot"]


@contextlib.contextmanager
def own_stack(tmp: Path, web: bool = False) -> Iterator[Any]:
    """A real bot on free ports with its own SQLite tracker store and logs under `tmp` (needs a model).

    Tests that kill or restart its processes get their own, so they never disturb the shared one.
    """
    from bot.launcher import Stack

    s = Stack(web=web, extra_env={"TRACKER_DB_URL": f"sqlite:///{tmp / 'tracker.db'}"}, log_dir=tmp / "logs")
    s.start()
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The shared live bot (Rasa + actions + web page) for e2e and browser tests."""
    with own_stack(tmp_path_factory.mktemp("stack"), web=True) as s:
        yield s


@pytest.fixture
def chat(stack: Any) -> Chat:
    """A fresh conversation with a random sender id."""
    return Chat(stack)


@pytest.fixture
def content_library() -> Any:
    from bot.content import load_library

    return load_library(settings.CONTENT_DIR)
