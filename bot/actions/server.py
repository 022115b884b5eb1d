"""Action server entry point: rasa_sdk's app for our actions, plus token-protected audit routes.

    GET /summary/<sender_id>      the conversation's written summary (text/markdown)
    GET /consistency/<sender_id>  the consistency report (JSON)

Both fetch the tracker from the Rasa HTTP API and require RASA_AUTH_TOKEN from the caller
(`Authorization: Bearer <token>` or `?token=<token>`): conversations are health data.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import json
import logging
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings
from bot.content import Library
from bot.content.store import current_library
from bot.summary import build_summary, check
from bot.summary.builder import blocked_text, nothing_to_summarise
from bot.summary.events import current_session_start, events_of

log = logging.getLogger(__name__)
FETCH_TIMEOUT = 10.0
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class RasaUnavailable(Exception):
    """The Rasa HTTP API did not give us the tracker."""


def rasa_url() -> str:
    """Where the Rasa HTTP API is (read per request so tests and the launcher can set it)."""
    return (os.environ.get("RASA_URL") or f"http://127.0.0.1:{settings.env_int('RASA_PORT', 5005)}").rstrip("/")


def auth_token() -> str:
    """The shared token; empty means the routes are closed (never open by accident)."""
    return os.environ.get("RASA_AUTH_TOKEN", settings.RASA_AUTH_TOKEN).strip()


def provided_token(request: Request) -> str:
    """Token from `Authorization: Bearer …` or `?token=`."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return str(request.args.get("token") or "")


def authorised(request: Request) -> bool:
    """Constant-time comparison with the configured token."""
    expected = auth_token()
    given = provided_token(request)
    return bool(expected) and bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def fetch_tracker_sync(sender_id: str) -> dict[str, Any]:
    """GET /conversations/<id>/tracker from Rasa (blocking; run in a thread)."""
    query = urllib.parse.urlencode({"include_events": "AFTER_RESTART", "token": auth_token()})
    url = f"{rasa_url()}/conversations/{urllib.parse.quote(sender_id, safe='')}/tracker?{query}"
    try:
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT) as resp:
            data = json.loads(resp.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise RasaUnavailable(type(exc).__name__) from exc
    if not isinstance(data, dict):
        raise RasaUnavailable("unexpected tracker format")
    return data


async def fetch_tracker(sender_id: str) -> dict[str, Any]:
    return await asyncio.to_thread(fetch_tracker_sync, sender_id)


def _session(tracker: dict[str, Any]) -> list[dict[str, Any]]:
    events = events_of(tracker)
    return events[current_session_start(events):]


def summary_response(tracker: dict[str, Any], lib: Library) -> HTTPResponse:
    """200 with the summary; 404 when there is nothing to summarise; 409 when the check blocks it."""
    events = _session(tracker)
    summary = build_summary(events, lib)
    markdown_type = "text/markdown; charset=utf-8"
    if summary.empty:
        return response.text(nothing_to_summarise(lib) + "\n", status=404, content_type=markdown_type,
                             headers=NO_STORE)
    report = check(events, lib, summary)
    if not report.ok:
        report.log(log, str(tracker.get("sender_id") or ""))
        headers = {**NO_STORE, "X-Consistency": "blocked"}
        return response.text(blocked_text(lib) + "\n", status=409, content_type=markdown_type, headers=headers)
    headers = {**NO_STORE, "X-Consistency": "ok",
               "Content-Disposition": f'inline; filename="{summary.filename}"'}
    return response.text(summary.markdown, content_type=markdown_type, headers=headers)


def consistency_response(tracker: dict[str, Any], lib: Library) -> HTTPResponse:
    """The JSON report, plus the summary's structured facts (ids only, no message text)."""
    events = _session(tracker)
    report = check(events, lib)
    body = report.to_dict()
    body["sender_id"] = tracker.get("sender_id")
    body["content_version"] = lib.version
    body["summary"] = report.summary.to_dict() if report.summary is not None else None
    return response.json(body, headers=NO_STORE, ensure_ascii=False)


def _unauthorised() -> HTTPResponse:
    return response.json({"error": "unauthorised"}, status=401,
                         headers={**NO_STORE, "WWW-Authenticate": "Bearer"})


async def _with_tracker(request: Request, sender_id: str, name: str,
                        build: Callable[[dict[str, Any], Library], HTTPResponse]) -> HTTPResponse:
    """Token check, tracker fetch from Rasa, then `build`; both routes share this."""
    if not authorised(request):
        return _unauthorised()
    try:
        tracker = await fetch_tracker(sender_id)
    except RasaUnavailable as exc:
        log.warning("%s route: tracker unavailable (%s)", name, exc)
        return response.json({"error": "tracker unavailable"}, status=502, headers=NO_STORE)
    return build(tracker, current_library())


async def summary_route(request: Request, sender_id: str) -> HTTPResponse:
    return await _with_tracker(request, sender_id, "summary", summary_response)


async def consistency_route(request: Request, sender_id: str) -> HTTPResponse:
    return await _with_tracker(request, sender_id, "consistency", consistency_response)


def add_routes(app: Sanic) -> Sanic:
    """Mount the audit routes on the action server's app."""
    app.add_route(summary_route, "/summary/<sender_id:str>", methods=["GET"], name="summary")
    app.add_route(consistency_route, "/consistency/<sender_id:str>", methods=["GET"], name="consistency")
    return app


def build_app() -> Sanic:
    """The rasa_sdk Sanic app serving the actions in `bot.actions`, plus the audit routes."""
    return add_routes(create_app("bot.actions", cors_origins=None))


def warm_up() -> None:
    """Compile the red-flag patterns before serving: the screening actions must answer within
    Rasa's action timeout from the first patient on (see bot.safety.detector.warm_up)."""
    from bot.safety.detector import warm_up as compile_red_flags

    compile_red_flags()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=settings.ACTION_PORT)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    warm_up()
    app = build_app()
    app.run("127.0.0.1", port=args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
