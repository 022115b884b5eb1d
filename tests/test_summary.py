"""Written summary: built only from delivered content; the action and the HTTP routes that serve it."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import settings
from bot.actions import server
from bot.actions import summary as summary_action
from bot.content import Library
from bot.content.checks import markdown_findings
from bot.content.library import build_library
from bot.summary import build_summary, check
from bot.summary.builder import FIELD_RE, TEMPLATE
from bot.summary.testing import bot_event, slot_event, user_event

TOKEN = "test-token-123"


@pytest.fixture(scope="module")
def lib() -> Library:
    library, findings = build_library(settings.CONTENT_DIR)
    assert not [f for f in findings if f.severity == "error"], findings
    return library


def body(lib: Library, content_id: str) -> str:
    return lib.messages[content_id].body.strip()


def heading_of(lib: Library, field: str) -> str:
    """The template's `## ` heading of the section holding {$field} (the words are the editors')."""
    heading = ""
    for line in lib.resolve(TEMPLATE, None).body.splitlines():
        if line.startswith("## "):
            heading = line
        if "{$" + field + "}" in line:
            return heading
    raise AssertionError(field)


def neck_conversation(lib: Library) -> list[dict[str, Any]]:
    return [
        user_event("x", "describe_neck_pain"),
        slot_event("condition", "neck"),
        bot_event(lib, "neck.reassurance.pain"),
        bot_event(lib, "neck.reassurance.activity"),
        user_event("x", "ask_massage"),
        bot_event(lib, "neck.treatment.massage"),
        user_event("x", "ask_acupuncture"),
        bot_event(lib, "neck.treatment.acupuncture"),
        bot_event(lib, "nav.screening_clear"),
        user_event("x", "request_summary"),
    ]


# --- builder -------------------------------------------------------------------------------------------

def test_summary_repeats_exactly_what_was_said(lib: Library) -> None:
    summary = build_summary(neck_conversation(lib), lib)
    md = summary.markdown
    assert summary.condition == "neck"
    assert body(lib, "summary.condition.neck") in md
    for cid in ("neck.reassurance.pain", "neck.reassurance.activity", "neck.treatment.massage",
                "neck.treatment.acupuncture", "nav.screening_clear"):
        assert body(lib, cid) in md, cid
    assert [(s.section, s.content_id) for s in summary.statements] == [
        ("reassurance", "neck.reassurance.pain"),
        ("reassurance", "neck.reassurance.activity"),
        ("treatment", "neck.treatment.massage"),
        ("treatment", "neck.treatment.acupuncture"),
    ]
    assert summary.recommendation_ids == ["neck.reassurance", "neck.massage", "neck.acupuncture"]
    # each treatment with its strength: label and plain-Danish phrase
    for sid in ("weak_against", "weak_for"):
        assert lib.strengths[sid].label in md and lib.strengths[sid].patient_phrase in md
    # nothing the conversation did not say: no other treatment's wording
    assert body(lib, "neck.treatment.tramadol") not in md
    assert lib.strengths["good_practice_against"].label not in md


def test_summary_lists_the_conditions_red_flags_and_source(lib: Library) -> None:
    summary = build_summary(neck_conversation(lib), lib)
    md = summary.markdown
    for flag in lib.red_flags:
        text = flag.question or flag.reason
        assert (text in md) == ("neck" in flag.conditions), flag.id
    neck = lib.guidelines["neck"]
    assert neck.title in md and neck.status_text in md and neck.version in md
    assert lib.guidelines["radiculopathy"].title not in md
    assert summary.guideline_versions == {"neck": neck.version}
    assert "01.01.2026" in md and summary.date == "2026-01-01"
    assert summary.filename.endswith("2026-01-01.md")


def test_summary_markdown_is_clean(lib: Library) -> None:
    md = build_summary(neck_conversation(lib), lib).markdown
    assert not markdown_findings(md, Path("summary.md"), 1)
    assert "{" not in md and "}" not in md
    assert not FIELD_RE.search(md)


def test_empty_sections_are_left_out(lib: Library) -> None:
    events = [user_event(), slot_event("condition", "neck")]
    md = build_summary(events, lib).markdown
    assert heading_of(lib, "treatments") not in md
    assert heading_of(lib, "reassurance") not in md
    assert heading_of(lib, "outcome") not in md
    assert heading_of(lib, "redflags") in md and heading_of(lib, "sources") in md


def test_nothing_to_summarise_without_a_condition(lib: Library) -> None:
    summary = build_summary([user_event(), bot_event(lib, "nav.greet")], lib)
    assert summary.empty
    assert summary.markdown.strip() == body(lib, "summary.empty")
    assert summary.statements == []


def test_only_the_final_conditions_advice_is_summarised(lib: Library) -> None:
    events = [
        user_event(), slot_event("condition", "neck"), bot_event(lib, "neck.treatment.massage"),
        user_event(), slot_event("condition", "radiculopathy"), bot_event(lib, "radiculopathy.treatment.mri"),
    ]
    summary = build_summary(events, lib)
    assert [s.content_id for s in summary.statements] == ["radiculopathy.treatment.mri"]
    assert body(lib, "neck.treatment.massage") not in summary.markdown
    radic = lib.guidelines["radiculopathy"]
    assert radic.status_text in summary.markdown  # "ikke gældende" is part of the source
    assert check(events, lib, summary).ok


def test_after_an_emergency_advice_is_left_out_and_the_escalation_repeated(lib: Library) -> None:
    events = [
        *neck_conversation(lib)[:6],
        user_event("x", "red_flag_emergency"),
        bot_event(lib, "safety.escalate_emergency", red_flag="neck_cord"),
        slot_event("urgency", "emergency"),
        user_event("x", "request_summary"),
    ]
    summary = build_summary(events, lib)
    assert summary.statements == [] and summary.recommendation_ids == []
    assert summary.withheld == [2, 3, 5]
    assert summary.outcome_event == 7
    md = summary.markdown
    assert body(lib, "safety.escalate_emergency").split("{")[0].strip() in md
    assert body(lib, "summary.withheld") in md
    assert body(lib, "neck.treatment.massage") not in md
    assert heading_of(lib, "redflags") in md
    assert check(events, lib, summary).ok


def test_at_soon_reassurance_is_left_out_but_treatments_stay(lib: Library) -> None:
    events = [*neck_conversation(lib)[:6], bot_event(lib, "safety.escalate_soon"), slot_event("urgency", "soon")]
    summary = build_summary(events, lib)
    kept = [s.content_id for s in summary.statements]
    assert "neck.reassurance.pain" not in kept  # blocked_from: soon
    assert "neck.treatment.massage" in kept
    assert summary.outcome_event == 6
    assert check(events, lib, summary).ok


def test_repeated_message_appears_once(lib: Library) -> None:
    events = [*neck_conversation(lib), bot_event(lib, "neck.treatment.massage")]
    summary = build_summary(events, lib)
    assert [s.content_id for s in summary.statements].count("neck.treatment.massage") == 1
    assert summary.markdown.count(body(lib, "neck.treatment.massage").split("\n")[0]) == 1
    assert check(events, lib, summary).ok


def test_an_earlier_summary_is_not_a_source(lib: Library) -> None:
    events = neck_conversation(lib)
    first = build_summary(events, lib)
    sent = bot_event(lib, "nav.summary", custom={"summary_markdown": first.markdown},
                     recommendations=first.recommendation_ids,
                     strengths=[lib.recommendation(r).strength for r in first.recommendation_ids])
    second = build_summary([*events, sent], lib)
    assert second.markdown == first.markdown
    assert body(lib, "nav.summary") not in second.markdown


def test_rebuild_is_deterministic(lib: Library) -> None:
    events = neck_conversation(lib)
    assert build_summary(events, lib).markdown == build_summary(json.loads(json.dumps(events)), lib).markdown


# --- action ----------------------------------------------------------------------------------------------

def make_tracker(events: list[dict[str, Any]]) -> Tracker:
    slots: dict[str, Any] = {"condition": None, "urgency": "none", "red_flag": None}
    for event in events:
        if event.get("event") == "slot":
            slots[event["name"]] = event["value"]
    return Tracker(sender_id="patient-1", slots=slots,
                   latest_message={"intent": {"name": "request_summary", "confidence": 1.0}, "entities": []},
                   events=events, paused=False, followup_action=None, active_loop={},
                   latest_action_name="action_listen")


def run_action(action: Any, events: list[dict[str, Any]]) -> tuple[list[Any], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    out = asyncio.run(action.run(dispatcher, make_tracker(events), {}))
    return out, dispatcher


@pytest.fixture
def use_lib(lib: Library, monkeypatch: pytest.MonkeyPatch) -> Library:
    monkeypatch.setattr(summary_action, "current_library", lambda: lib)
    monkeypatch.setattr(server, "current_library", lambda: lib)
    return lib


def test_action_sends_checked_summary(use_lib: Library) -> None:
    events = neck_conversation(use_lib)
    out, dispatcher = run_action(summary_action.ActionSummary(), events)
    assert out == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_summary"
    assert message["summary_markdown"] == build_summary(events, use_lib).markdown
    assert message["filename"].endswith(".md")
    assert message["recommendations"] == ["neck.reassurance", "neck.massage", "neck.acupuncture"]


def test_action_without_condition_says_nothing_to_summarise(use_lib: Library) -> None:
    _, dispatcher = run_action(summary_action.ActionSummary(), [user_event()])
    assert [m["response"] for m in dispatcher.messages] == ["utter_summary_empty"]


def test_action_blocks_on_severe_finding_and_logs_ids_only(use_lib: Library,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    events = [*neck_conversation(use_lib)[:4], bot_event(use_lib, "radiculopathy.treatment.mri")]
    with caplog.at_level("INFO", logger="bot"):
        _, dispatcher = run_action(summary_action.ActionSummary(), events)
    assert [m["response"] for m in dispatcher.messages] == ["utter_summary_blocked"]
    assert "summary_markdown" not in dispatcher.messages[0]
    logged = caplog.text
    assert "OTHER_CONDITION" in logged and "radiculopathy.treatment.mri" in logged
    for cid in ("radiculopathy.treatment.mri", "neck.reassurance.pain"):
        assert body(use_lib, cid)[:25] not in logged


def test_action_blocks_when_building_fails(use_lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(summary_action, "build_summary", boom)
    _, dispatcher = run_action(summary_action.ActionSummary(), neck_conversation(use_lib))
    assert [m["response"] for m in dispatcher.messages] == ["utter_summary_blocked"]


def test_check_action_says_nothing(use_lib: Library, caplog: pytest.LogCaptureFixture) -> None:
    events = [*neck_conversation(use_lib)[:4], bot_event(use_lib, "radiculopathy.treatment.mri")]
    with caplog.at_level("INFO", logger="bot"):
        out, dispatcher = run_action(summary_action.ActionCheckConsistency(), events)
    assert out == [] and dispatcher.messages == []
    assert "OTHER_CONDITION" in caplog.text


# --- HTTP routes: handlers called directly ---------------------------------------------------------------

def fake_request(headers: dict[str, str] | None = None, args: dict[str, str] | None = None) -> Any:
    return SimpleNamespace(headers={k.lower(): v for k, v in (headers or {}).items()}, args=args or {})


@pytest.fixture
def routes(use_lib: Library, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[dict[str, Any]]]:
    trackers: dict[str, list[dict[str, Any]]] = {}

    async def fetch(sender_id: str) -> dict[str, Any]:
        return {"sender_id": sender_id, "events": trackers.get(sender_id, [])}

    monkeypatch.setenv("RASA_AUTH_TOKEN", TOKEN)
    monkeypatch.setattr(server, "fetch_tracker", fetch)
    return trackers


def call(handler: Any, request: Any, sender: str) -> Any:
    return asyncio.run(handler(request, sender))


def test_routes_refuse_without_the_token(routes: dict[str, Any]) -> None:
    routes["p"] = neck_conversation(server.current_library())
    for handler in (server.summary_route, server.consistency_route):
        assert call(handler, fake_request(), "p").status == 401
        assert call(handler, fake_request({"Authorization": "Bearer wrong"}), "p").status == 401
        assert call(handler, fake_request(args={"token": "wrong"}), "p").status == 401


def test_routes_are_closed_when_no_token_is_configured(routes: dict[str, Any],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_AUTH_TOKEN", "")
    assert call(server.summary_route, fake_request({"Authorization": "Bearer "}), "p").status == 401
    assert call(server.summary_route, fake_request(args={"token": ""}), "p").status == 401


def test_summary_route_returns_markdown(routes: dict[str, Any], use_lib: Library) -> None:
    routes["p"] = neck_conversation(use_lib)
    resp = call(server.summary_route, fake_request({"Authorization": f"Bearer {TOKEN}"}), "p")
    assert resp.status == 200
    assert resp.content_type.startswith("text/markdown")
    assert resp.body.decode() == build_summary(routes["p"], use_lib).markdown
    assert resp.headers["X-Consistency"] == "ok"
    resp = call(server.summary_route, fake_request(args={"token": TOKEN}), "p")
    assert resp.status == 200


def test_summary_route_blocked_and_empty(routes: dict[str, Any], use_lib: Library) -> None:
    routes["bad"] = [*neck_conversation(use_lib)[:4], bot_event(use_lib, "radiculopathy.treatment.mri")]
    resp = call(server.summary_route, fake_request(args={"token": TOKEN}), "bad")
    assert resp.status == 409 and resp.body.decode().strip() == body(use_lib, "nav.summary_blocked")
    resp = call(server.summary_route, fake_request(args={"token": TOKEN}), "nobody")
    assert resp.status == 404 and resp.body.decode().strip() == body(use_lib, "summary.empty")


def test_consistency_route_returns_the_report(routes: dict[str, Any], use_lib: Library) -> None:
    routes["bad"] = [*neck_conversation(use_lib)[:4], bot_event(use_lib, "radiculopathy.treatment.mri")]
    resp = call(server.consistency_route, fake_request(args={"token": TOKEN}), "bad")
    assert resp.status == 200
    report = json.loads(resp.body)
    assert report["ok"] is False
    assert {"code", "severity", "message", "event_index", "content_id", "recommendation"} <= set(
        report["findings"][0])
    assert "OTHER_CONDITION" in {f["code"] for f in report["findings"]}
    assert body(use_lib, "radiculopathy.treatment.mri")[:25] not in resp.body.decode()


def test_route_reports_rasa_down(use_lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("RASA_URL", f"http://127.0.0.1:{free_port()}")
    resp = call(server.summary_route, fake_request(args={"token": TOKEN}), "p")
    assert resp.status == 502


# --- HTTP routes: the real action server on a free port, talking to a stand-in Rasa ---------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def fake_rasa(lib: Library) -> Iterator[tuple[str, dict[str, Any]]]:
    """A stand-in for Rasa's GET /conversations/<id>/tracker that insists on the token, like Rasa."""
    trackers: dict[str, Any] = {"patient-7": {"sender_id": "patient-7", "events": neck_conversation(lib)}}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server API
            from urllib.parse import parse_qs, urlparse

            url = urlparse(self.path)
            parts = url.path.strip("/").split("/")
            if parse_qs(url.query).get("token") != [TOKEN]:
                self.send_response(401)
                self.end_headers()
                return
            sender = parts[1] if len(parts) == 3 else ""
            data = json.dumps(trackers.get(sender, {"sender_id": sender, "events": []})).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", trackers
    httpd.shutdown()
    httpd.server_close()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as resp:
            return resp.status, resp.read().decode(), resp.headers
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(), err.headers


def test_action_server_routes_over_http(fake_rasa: tuple[str, dict[str, Any]], lib: Library,
                                        tmp_path: Path) -> None:
    rasa_url, _ = fake_rasa
    port = free_port()
    env = {**os.environ, "RASA_URL": rasa_url, "RASA_AUTH_TOKEN": TOKEN, "PYTHONPATH": str(settings.ROOT),
           "CONTENT_DIR": str(settings.CONTENT_DIR)}
    log = (tmp_path / "actions.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "bot.actions.server", "--port", str(port)],
                            cwd=settings.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if get(f"{base}/health")[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError((tmp_path / "actions.log").read_text()[-3000:])
            time.sleep(0.3)

        assert get(f"{base}/summary/patient-7")[0] == 401
        assert get(f"{base}/consistency/patient-7")[0] == 401
        assert get(f"{base}/summary/patient-7?token=nope")[0] == 401

        status, text, headers = get(f"{base}/summary/patient-7", {"Authorization": f"Bearer {TOKEN}"})
        assert status == 200, text
        assert headers["Content-Type"].startswith("text/markdown")
        assert text == build_summary(neck_conversation(lib), lib).markdown

        status, text, _ = get(f"{base}/consistency/patient-7?token={TOKEN}")
        assert status == 200
        assert json.loads(text)["ok"] is True

        status, text, _ = get(f"{base}/summary/someone-else?token={TOKEN}")
        assert status == 404
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_the_escalation_not_a_later_reminder_is_repeated(lib: Library) -> None:
    events = [user_event(), slot_event("condition", "neck"), slot_event("urgency", "emergency"),
              bot_event(lib, "safety.escalate_emergency"), user_event(),
              bot_event(lib, "safety.reminder_emergency", response="utter_treatment_massage")]
    summary = build_summary(events, lib)
    assert summary.outcome_event == 3
    assert check(events, lib, summary).ok
