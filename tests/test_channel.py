"""The hardened REST channel: size limit, empty/long messages, rate limit, payload allow-list.

Unit tests drive `SafeRestInput.handle` with a stand-in request and a stand-in Rasa; the e2e tests
send the same abuse to a live bot.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
import uuid
from types import SimpleNamespace
from typing import Any

import pytest

from bot.channels.guards import RateLimiter, sanitize_payload, valid_sender
from bot.channels.rest import SafeRestInput

TEXTS = {
    "utter_rate_limited": "RATE",
    "utter_bad_input": "BAD",
    "utter_action_failure": "SORRY",
}


class FakeTexts:
    def message(self, response: str) -> dict[str, Any]:
        return {"text": TEXTS[response], "content_id": response}


class FakeRasa:
    """Records what reached Rasa and answers with one bot message."""

    def __init__(self) -> None:
        self.seen: list[Any] = []

    async def __call__(self, message: Any) -> None:
        self.seen.append(message)
        await message.output_channel.send_text_message(message.sender_id, "ok")


def fake_request(body: bytes, headers: dict[str, str] | None = None, args: dict[str, str] | None = None) -> Any:
    headers = {"content-length": str(len(body)), **(headers or {})}
    return SimpleNamespace(body=body, headers=headers, args=args or {}, app=SimpleNamespace(ctx=SimpleNamespace()))


def post(channel: SafeRestInput, rasa: FakeRasa, payload: Any, **kw: Any) -> tuple[int, list[dict[str, Any]]]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    resp = asyncio.run(channel.handle(fake_request(body, **kw), rasa))
    return resp.status, json.loads(resp.body)


@pytest.fixture
def channel() -> SafeRestInput:
    return SafeRestInput(texts=FakeTexts())


SENDER = "s-" + "a" * 30


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/affirm", "/affirm"),
        ("  /ask_massage ", "/ask_massage"),
        ("/describe_leg_pain", "/describe_leg_pain"),
        ("/restart", "/restart"),
        ("/red_flag_emergency", "red_flag_emergency"),
        ('/greet{"urgency":"none"}', 'greet{"urgency":"none"}'),
        ("/nlu_fallback", "nlu_fallback"),
        ("/affirm@0.99", "affirm@0.99"),
        ('/affirm{"condition": "neck"}', 'affirm{"condition": "neck"}'),
        ("//deny", "deny"),
        ("/ /red_flag_same_day", "red_flag_same_day"),
        ("/session_start", "session_start"),
        ("ondt i nakken", "ondt i nakken"),
    ],
)
def test_payload_allow_list(typed: str, expected: str) -> None:
    assert sanitize_payload(typed) == expected


def test_sender_ids() -> None:
    assert valid_sender(uuid.uuid4().hex)
    assert valid_sender("test-" + uuid.uuid4().hex)
    for bad in (None, "", "short", 42, "a b c d e f g h", "x" * 200, "../../etc/passwd"):
        assert not valid_sender(bad)


def test_rate_limiter_window() -> None:
    limiter = RateLimiter(limit=3, window=60)
    assert all(limiter.allow("a", now=t) for t in (0, 1, 2))
    assert not limiter.allow("a", now=3)
    assert limiter.allow("b", now=3), "limits are per sender"
    assert limiter.allow("a", now=60.5), "the window slides"


def test_rate_limiter_memory_is_bounded() -> None:
    limiter = RateLimiter(limit=3, window=10, max_senders=100)
    for i in range(1000):
        limiter.allow(f"s{i}", now=i * 0.001)
    limiter.allow("late", now=100)
    assert len(limiter._hits) <= 101


def test_normal_message_reaches_rasa(channel: SafeRestInput) -> None:
    rasa = FakeRasa()
    status, reply = post(channel, rasa, {"sender": SENDER, "message": "Hej, jeg har ondt i nakken"})
    assert status == 200 and reply[0]["text"] == "ok"
    msg = rasa.seen[0]
    assert msg.text == "Hej, jeg har ondt i nakken" and msg.sender_id == SENDER
    assert msg.input_channel == "rest" and not msg.metadata


def test_redaction_before_rasa(channel: SafeRestInput) -> None:
    rasa = FakeRasa()
    post(channel, rasa, {"sender": SENDER, "message": "cpr 010190-1234, ring 12 34 56 78 el. a@b.dk"})
    assert rasa.seen[0].text == "cpr [CPR], ring [telefon] el. [e-mail]"


def test_internal_intents_cannot_be_typed(channel: SafeRestInput) -> None:
    rasa = FakeRasa()
    for typed in ("/red_flag_emergency", '/greet{"urgency":"none"}', "/nlu_fallback"):
        post(channel, rasa, {"sender": SENDER, "message": typed})
    assert [m.text for m in rasa.seen] == ["red_flag_emergency", 'greet{"urgency":"none"}', "nlu_fallback"]


def test_oversized_body_is_413_with_kind_text(channel: SafeRestInput) -> None:
    rasa = FakeRasa()
    status, reply = post(channel, rasa, {"sender": SENDER, "message": "x" * 70000})
    assert status == 413 and reply[0]["text"] == "BAD" and not rasa.seen
    # A lying Content-Length does not help.
    body = json.dumps({"sender": SENDER, "message": "x" * 70000}).encode()
    resp = asyncio.run(channel.handle(fake_request(body, headers={"content-length": "10"}), rasa))
    assert resp.status == 413 and not rasa.seen


@pytest.mark.parametrize("message", ["", "   \n\t", None, 42, ["hej"], "x" * 2001])
def test_empty_long_or_invalid_message_gets_bad_input(channel: SafeRestInput, message: Any) -> None:
    rasa = FakeRasa()
    status, reply = post(channel, rasa, {"sender": SENDER, "message": message})
    assert status == 200 and reply == [{"recipient_id": SENDER, "text": "BAD", "content_id": "utter_bad_input"}]
    assert not rasa.seen


def test_message_at_the_limit_is_processed(channel: SafeRestInput) -> None:
    rasa = FakeRasa()
    post(channel, rasa, {"sender": SENDER, "message": "ø" * 2000})
    assert len(rasa.seen) == 1


@pytest.mark.parametrize("payload", [b"{not json", b"[]", b'{"message": "hej"}', b'{"sender": "x", "message": "h"}'])
def test_bad_requests_are_400(channel: SafeRestInput, payload: bytes) -> None:
    rasa = FakeRasa()
    status, reply = post(channel, rasa, payload)
    assert status == 400 and reply[0]["text"] == "BAD" and not rasa.seen


def test_routing_sender_must_match_body(channel: SafeRestInput) -> None:
    rasa = FakeRasa()
    body = {"sender": SENDER, "message": "hej"}
    assert post(channel, rasa, body, headers={"X-Sender-Id": "someone-else-123"})[0] == 400
    assert post(channel, rasa, body, args={"sender": "someone-else-123"})[0] == 400
    assert post(channel, rasa, body, headers={"X-Sender-Id": SENDER})[0] == 200
    assert len(rasa.seen) == 1


def test_rate_limit_reply_and_not_processed() -> None:
    channel = SafeRestInput(texts=FakeTexts(), rate_limit=20)
    rasa = FakeRasa()
    statuses = [post(channel, rasa, {"sender": SENDER, "message": f"besked {i}"})[0] for i in range(20)]
    status, reply = post(channel, rasa, {"sender": SENDER, "message": "én for meget"})
    assert statuses == [200] * 20 and status == 429 and reply[0]["text"] == "RATE"
    assert len(rasa.seen) == 20 and all(m.text != "én for meget" for m in rasa.seen)
    other = "o-" + "b" * 30
    assert post(channel, rasa, {"sender": other, "message": "hej"})[0] == 200


def test_crashing_turn_gets_apology(channel: SafeRestInput) -> None:
    async def broken(message: Any) -> None:
        raise RuntimeError("tracker store down")

    resp = asyncio.run(channel.handle(fake_request(json.dumps({"sender": SENDER, "message": "hej"}).encode()),
                                      broken))
    assert resp.status == 200 and json.loads(resp.body)[-1]["text"] == "SORRY"


def test_failed_action_in_turn_appends_apology(channel: SafeRestInput) -> None:
    from bot.channels import action_guard

    async def failing_action(message: Any) -> None:
        turn = action_guard.current_turn.get()
        assert turn is not None, "the channel must expose the turn to the action guard"
        turn.failed_actions.append("action_x")
        await message.output_channel.send_text_message(message.sender_id, "partial")

    resp = asyncio.run(channel.handle(fake_request(json.dumps({"sender": SENDER, "message": "hej"}).encode()),
                                      failing_action))
    texts = [m["text"] for m in json.loads(resp.body)]
    assert texts == ["partial", "SORRY"]


def test_action_calls_reuse_one_session_and_arrive_intact() -> None:
    """The kept-open session to the action server (with its faster JSON encoder) must send what Rasa's
    own would: the same body, Danish letters included, and the endpoint's basic auth and headers."""
    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    from bot.channels import action_guard

    body = {"tracker": {"latest_message": {"text": "Jeg kan ikke mærke skridtet 😟 <b>", "confidence": 0.9123}},
            "next_action": "action_check_red_flags", "values": [1, 2.5, None, True]}
    seen: list[tuple[Any, str | None, str | None]] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append((await request.json(), request.headers.get("Authorization"), request.headers.get("X-Clinic")))
        return web.json_response({"events": [], "responses": []})

    async def scenario() -> list[Any]:
        app = web.Application()
        app.router.add_post("/webhook", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", headers={"X-Clinic": "a"},
                                  basic_auth={"username": "u", "password": "p"})
        action_guard._keep_session_open(endpoint)
        try:
            answers = [await endpoint.request(json=body, method="post") for _ in range(2)]
            async with endpoint.session() as first, endpoint.session() as second:
                assert first is second, "one session per event loop, not one per call"
            return answers
        finally:
            async with endpoint.session() as session:
                await session.close()
            await runner.cleanup()

    answers = asyncio.run(scenario())
    assert answers == [{"events": [], "responses": []}] * 2
    assert len(seen) == 2
    for received, auth, header in seen:
        assert received == body
        assert auth is not None and auth.startswith("Basic ") and header == "a"


def test_texts_come_from_content() -> None:
    from bot.channels.rest import CHANNEL_MESSAGES, ContentTexts

    texts = ContentTexts()
    for name in CHANNEL_MESSAGES:
        message = texts.message(name)
        assert message["text"].strip() and message["content_id"]


# ------------------------------------------------------------------ e2e against a live bot

def _post_raw(stack: Any, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    req = urllib.request.Request(f"{stack.rasa_url}/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def _post_raw_any(stack: Any, body: bytes) -> tuple[int, bytes]:
    req = urllib.request.Request(f"{stack.rasa_url}/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (ConnectionError, urllib.error.URLError):
        return 413, b""  # Sanic may close the connection while we are still sending


def _intents(chat: Any) -> list[str | None]:
    return [e.get("parse_data", {}).get("intent", {}).get("name") for e in chat.tracker()["events"]
            if e["event"] == "user"]


def _configured_limit() -> int:
    import yaml

    from bot import settings

    creds = yaml.safe_load((settings.ROOT / "credentials.yml").read_text())
    return int(creds["bot.channels.rest.SafeRestInput"].get("max_body_bytes", 65536))


@pytest.mark.e2e
def test_live_oversized_and_empty(stack: Any, content_library: Any) -> None:
    bad = content_library.resolve("utter_bad_input", None).render({})
    limit = _configured_limit()
    assert limit <= 64 * 1024, "keep the body limit small"
    big = json.dumps({"sender": "big-" + uuid.uuid4().hex, "message": "x" * (limit + 100)}).encode()
    status, reply = _post_raw(stack, big)
    assert status == 413 and reply[0]["text"] == bad
    # 20 000 characters fit in the body limit but not the message limit: a kind answer, not processed.
    long_text = {"sender": "long-" + uuid.uuid4().hex, "message": "ondt " * 4000}
    status, reply = _post_raw(stack, json.dumps(long_text).encode())
    assert status == 200 and reply[0]["text"] == bad
    # Far beyond the limit Sanic itself stops reading (no handler, no memory spent on it).
    huge = json.dumps({"sender": "huge-" + uuid.uuid4().hex, "message": "x" * (2 * 1024 * 1024)}).encode()
    status, body = _post_raw_any(stack, huge)
    assert status == 413 and not body.startswith(b"["), "cut off by Sanic, before the channel"
    status, reply = _post_raw(stack, json.dumps({"sender": "emp-" + uuid.uuid4().hex, "message": "  "}).encode())
    assert status == 200 and reply[0]["text"] == bad


@pytest.mark.e2e
def test_live_typed_internal_intents_do_not_work(chat: Any) -> None:
    chat.say("/greet")
    chat.say("/red_flag_emergency")
    chat.say('/greet{"urgency":"none"}')
    chat.say("/nlu_fallback")
    intents = _intents(chat)
    assert intents[0] == "greet"
    assert "red_flag_emergency" not in intents[1:]
    slots = chat.tracker()["slots"]
    assert slots.get("urgency") in (None, "none")
    texts = [e.get("text") for e in chat.tracker()["events"] if e["event"] == "user"]
    assert texts[1:] == ["red_flag_emergency", 'greet{"urgency":"none"}', "nlu_fallback"]


@pytest.mark.e2e
def test_live_rate_limit(stack: Any, content_library: Any) -> None:
    from tests.conftest import Chat

    chat = Chat(stack)
    rate_text = content_library.resolve("utter_rate_limited", None).render({})
    for _ in range(20):
        chat.say("hej")
    body = json.dumps({"sender": chat.sender, "message": "en besked for meget"}).encode()
    status, reply = _post_raw(stack, body)
    assert status == 429 and reply[0]["text"] == rate_text
    users = [e.get("text") for e in chat.tracker()["events"] if e["event"] == "user"]
    assert len(users) == 20 and "en besked for meget" not in users
