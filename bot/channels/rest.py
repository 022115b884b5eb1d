"""The REST channel the web widget talks to, hardened for a patient-facing service.

Registered in credentials.yml as `bot.channels.rest.SafeRestInput`; `name()` stays "rest" so the URL
is still /webhooks/rest/webhook. Before anything reaches Rasa (and so the tracker store or a log):

1. body larger than `max_body_bytes` -> 413 with utter_bad_input;
2. bad JSON / missing or malformed sender -> 400 with utter_bad_input;
3. more than `rate_limit` messages per sender per minute -> 429 with utter_rate_limited, not processed;
4. empty message, or longer than `max_message_chars` -> utter_bad_input, not processed. Long messages
   are refused rather than truncated: a red flag mentioned at the end would be cut off silently,
   whereas asking for a shorter message lets the patient say it again;
5. CPR numbers, phone numbers and e-mail addresses are redacted;
6. "/..." texts that are not one of our button payloads lose their "/" and are plain text.

A turn in which a custom action failed or exceeded its time budget (see `action_guard`) ends with
utter_action_failure: a short apology and the safety line. Message text is only logged at DEBUG,
and then already redacted. Replies of refused requests use the normal bot-message format so the
widget can show them whatever the HTTP status.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import action_guard, event_types
from bot.channels.guards import RateLimiter, sanitize_payload, valid_sender
from bot.channels.redaction import redact

log = logging.getLogger(__name__)

RATE_LIMITED = "utter_rate_limited"
BAD_INPUT = "utter_bad_input"
ACTION_FAILURE = "utter_action_failure"
CHANNEL_MESSAGES = (RATE_LIMITED, BAD_INPUT, ACTION_FAILURE)
SENDER_HEADER = "X-Sender-Id"


class Texts(Protocol):
    """Where the channel gets its Danish texts (content/ in production, a dict in unit tests)."""

    def message(self, response: str) -> dict[str, Any]: ...


class ContentTexts:
    """Renders the channel's own messages from content/ (loaded once; a missing one fails at start)."""

    def __init__(self) -> None:
        from bot import settings
        from bot.content.library import load_library

        library = load_library(settings.CONTENT_DIR)
        self._messages: dict[str, dict[str, Any]] = {}
        for name in CHANNEL_MESSAGES:
            message = library.resolve(name, None)
            if message.response != name:
                raise LookupError(f"content/ has no message for {name} (resolved to {message.response})")
            self._messages[name] = {"text": message.render({}), "content_id": message.id}

    def message(self, response: str) -> dict[str, Any]:
        return dict(self._messages[response])


def sender_ref(sender: str) -> str:
    """A short hash for logs: sender ids are the only key to a conversation, so never log them."""
    return hashlib.sha256(sender.encode()).hexdigest()[:10]


def freeze_startup_heap() -> None:
    """Move everything alive after start-up (the loaded model, TensorFlow, spaCy) out of the garbage
    collector's reach. Why: each full collection walked that whole heap while every conversation
    waited; freezing it cut the Rasa process's CPU per turn by a fifth and p95 latency by 40 %
    (docs/performance.md). Objects made later, per turn, are collected as before."""
    gc.collect()
    gc.freeze()
    log.info("gc: %d start-up objects frozen", gc.get_freeze_count())


class SafeRestInput(RestInput):
    """RestInput with size limit, rate limit, redaction, payload allow-list and action-failure notice."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SafeRestInput:
        credentials = credentials or {}
        return cls(
            max_body_bytes=int(credentials.get("max_body_bytes", 64 * 1024)),
            max_message_chars=int(credentials.get("max_message_chars", 2000)),
            rate_limit=int(credentials.get("rate_limit_per_minute", 20)),
        )

    def __init__(
        self,
        max_body_bytes: int = 64 * 1024,
        max_message_chars: int = 2000,
        rate_limit: int = 20,
        texts: Texts | None = None,
    ) -> None:
        self.max_body_bytes = max_body_bytes
        self.max_message_chars = max_message_chars
        self.limiter = RateLimiter(limit=rate_limit, window=60.0)
        self.texts: Texts = texts or ContentTexts()
        action_guard.install()
        event_types.install()

    def _reply(self, response_name: str, sender: str | None, status: int = 200) -> HTTPResponse:
        message = self.texts.message(response_name)
        if sender:
            message = {"recipient_id": sender, **message}
        return response.json([message], status=status)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("safe_rest_webhook", __name__)

        @bp.listener("before_server_start")
        async def limit_request_size(app: Any, _loop: Any) -> None:
            # Sanic buffers up to 100 MB before any handler runs; cap it for the whole server (Rasa's
            # HTTP API included) so an oversized body is cut off early instead of filling memory.
            cap = max(1024 * 1024, 4 * self.max_body_bytes)
            app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, cap)

        @bp.listener("after_server_start")
        async def freeze_loaded_model(_app: Any, _loop: Any) -> None:
            freeze_startup_heap()

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        return bp

    async def handle(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        """One patient message: the checks in the module docstring, then Rasa."""
        declared = request.headers.get("content-length", "")
        if (declared.isdigit() and int(declared) > self.max_body_bytes) or len(
            request.body or b""
        ) > self.max_body_bytes:
            log.info("rest: refused body of %s bytes (limit %d)", declared or len(request.body),
                     self.max_body_bytes)
            return self._reply(BAD_INPUT, None, status=413)
        try:
            payload = json.loads(request.body or b"")
        except (ValueError, UnicodeDecodeError):
            payload = None
        if not isinstance(payload, dict):
            return self._reply(BAD_INPUT, None, status=400)
        sender = payload.get("sender")
        routed = request.headers.get(SENDER_HEADER) or request.args.get("sender")
        if not valid_sender(sender) or (routed and routed != sender):
            log.info("rest: refused request with a missing, malformed or mismatched sender id")
            return self._reply(BAD_INPUT, None, status=400)
        assert isinstance(sender, str)
        ref = sender_ref(sender)
        if not self.limiter.allow(sender):
            log.info("rest: rate limit reached for sender %s", ref)
            return self._reply(RATE_LIMITED, sender, status=429)
        text = payload.get("message")
        if not isinstance(text, str) or not text.strip() or len(text) > self.max_message_chars:
            log.info("rest: refused %s message (%s chars) from sender %s",
                     "empty" if isinstance(text, str) and not text.strip() else "invalid or too long",
                     len(text) if isinstance(text, str) else "-", ref)
            return self._reply(BAD_INPUT, sender)

        cleaned = redact(text)
        if cleaned.changed:
            log.info("rest: redacted %d CPR, %d phone, %d e-mail from sender %s",
                     cleaned.cpr, cleaned.phone, cleaned.email, ref)
        final = sanitize_payload(cleaned.text)
        if final != cleaned.text.strip():
            log.info("rest: payload not on the allow-list from sender %s treated as text", ref)
        log.debug("rest: message from %s: %r", ref, final)
        return await self._process(request, on_new_message, sender, final)

    async def _process(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sender: str,
        text: str,
    ) -> HTTPResponse:
        collector = CollectingOutputChannel()
        turn = action_guard.Turn()
        token = action_guard.current_turn.set(turn)
        crashed = False
        try:
            await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(),
                                             metadata=None))
        except Exception as exc:  # noqa: BLE001 - the patient must get an answer whatever broke
            crashed = True
            # The traceback may quote the message; keep it at DEBUG.
            log.error("rest: turn failed for sender %s: %s", sender_ref(sender), type(exc).__name__)
            log.debug("rest: turn failure details", exc_info=True)
        finally:
            action_guard.current_turn.reset(token)
        messages = list(collector.messages)
        if turn.action_failed or crashed:
            log.warning("rest: degraded turn for sender %s (failed actions: %s)", sender_ref(sender),
                        ", ".join(turn.failed_actions) or "none; turn crashed")
            messages.append(await self._failure_notice(request, sender, crashed))
        elif not messages:
            log.info("rest: turn produced no bot message for sender %s", sender_ref(sender))
        return response.json(messages)

    async def _failure_notice(self, request: Request, sender: str, crashed: bool) -> dict[str, Any]:
        """utter_action_failure; also recorded in the tracker (for the clinic's audit) if Rasa still works.

        A bare `BotUttered` after the turn's final action_listen: policies featurize actions, not bot
        utterances, so recording it does not change what the bot predicts next.
        """
        notice = {"recipient_id": sender, **self.texts.message(ACTION_FAILURE)}
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or crashed:
            return notice
        try:
            from rasa.core.actions.action import create_bot_utterance

            async with agent.lock_store.lock(sender):
                tracker = await agent.tracker_store.retrieve(sender)
                if tracker is not None:
                    generated = await agent.nlg.generate(ACTION_FAILURE, tracker, self.name())
                    if generated:
                        tracker.update(create_bot_utterance(dict(generated, utter_action=ACTION_FAILURE)))
                        await agent.tracker_store.save(tracker)
        except Exception as exc:  # noqa: BLE001 - the patient still gets the notice
            log.warning("rest: could not record %s in the tracker: %s", ACTION_FAILURE, type(exc).__name__)
        return notice
