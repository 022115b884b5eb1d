"""Faults: action server down or slow -> short apology + safety line, then recovery; a missing
PostgreSQL / Redis at start -> a clear message and a quick non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import settings
from bot.launcher import RASA, Stack, free_port, latest_model
from tests.conftest import Chat, own_stack

pytestmark = pytest.mark.e2e

SLOW_SERVER = r"""
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def _send(self, body):
        data = json.dumps(body).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
    def do_GET(self): self._send({"status": "ok"})
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(float(sys.argv[2]))
        self._send({"events": [], "responses": []})

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
"""


@pytest.fixture(scope="module")
def fault_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(tmp_path_factory.mktemp("faults")) as stack:
        yield stack


@pytest.fixture(scope="module")
def failure_text() -> str:
    from bot.content.library import load_library

    return load_library(settings.CONTENT_DIR).resolve("utter_action_failure", None).render({})


def _wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def _restore_actions(stack: Stack) -> None:
    stack.stop_process("actions")
    stack.start_actions()
    _wait_http(f"{stack.action_url}/health", 60)


def _texts(replies: list[dict[str, Any]]) -> list[str]:
    return [r.get("text") or "" for r in replies]


def test_action_server_down_then_back(fault_stack: Stack, failure_text: str) -> None:
    chat = Chat(fault_stack)
    assert failure_text not in _texts(chat.say("Hej")), "healthy: no apology"

    fault_stack.stop_process("actions")
    try:
        start = time.monotonic()
        replies = chat.say("Jeg har ondt i nakken")
        assert time.monotonic() - start < 5
        assert _texts(replies)[-1] == failure_text
        assert "112" in failure_text
        # Recorded in the conversation, for the clinic's audit.
        bots = [e.get("text") for e in chat.bot_events()]
        assert failure_text in bots
    finally:
        _restore_actions(fault_stack)

    replies = chat.say("Hvad kan jeg selv gøre?")
    assert replies and failure_text not in _texts(replies), "recovers as soon as the action server is back"


def test_slow_action_server(fault_stack: Stack, failure_text: str) -> None:
    chat = Chat(fault_stack)
    chat.say("Hej")
    fault_stack.stop_process("actions")
    slow = subprocess.Popen([sys.executable, "-c", SLOW_SERVER, str(fault_stack.action_port), "5"])
    try:
        _wait_http(f"{fault_stack.action_url}/health")
        start = time.monotonic()
        replies = chat.say("Jeg har ondt i nakken")
        elapsed = time.monotonic() - start
        assert _texts(replies)[-1] == failure_text
        assert elapsed < 4.5, f"one 2 s budget per turn, not one per action ({elapsed:.1f} s)"
    finally:
        slow.terminate()
        slow.wait(10)
        _restore_actions(fault_stack)
    replies = chat.say("Hvad kan jeg selv gøre?")
    assert replies and failure_text not in _texts(replies)


def _rasa_start_fails(extra_env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(settings.ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "ACTION_PORT": str(free_port()), "STORE_CONNECT_TIMEOUT": "1",
           "TRACKER_DB_URL": f"sqlite:///{tmp_path / 'tracker.db'}", **extra_env}
    cmd = [RASA, "run", "--enable-api", "--auth-token", "x", "--port", str(free_port()), "--interface", "127.0.0.1",
           "--model", str(latest_model()), "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]
    return subprocess.run(cmd, env=env, cwd=settings.ROOT, capture_output=True, text=True, timeout=120)


def test_postgres_missing_at_start(tmp_path: Path) -> None:
    start = time.monotonic()
    run = _rasa_start_fails({"TRACKER_DB_URL": f"postgresql://rasa:pw@127.0.0.1:{free_port()}/rasa"}, tmp_path)
    assert run.returncode != 0
    out = run.stdout + run.stderr
    assert "Tracker store: cannot connect to postgresql database" in out and "TRACKER_DB_URL" in out
    assert "pw@" not in out
    assert time.monotonic() - start < 60


def test_redis_missing_at_start(tmp_path: Path) -> None:
    start = time.monotonic()
    run = _rasa_start_fails({"LOCK_STORE_URL": f"redis://127.0.0.1:{free_port()}/1"}, tmp_path)
    assert run.returncode != 0
    out = run.stdout + run.stderr
    assert "Lock store: cannot connect to Redis" in out and "LOCK_STORE_URL" in out
    assert time.monotonic() - start < 60
