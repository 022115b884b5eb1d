"""Detect a failed or slow action server during a turn, so the channel can apologise safely.

Rasa 3.6 calls the action server with a hard-coded 300 s timeout (`RemoteAction.run` passes
`timeout=DEFAULT_REQUEST_TIMEOUT`; `action_endpoint` has no timeout setting), and when the call fails
the processor logs the error and drops the action's events: the patient gets silence. We wrap
`RemoteAction.run` once per process:

* a time budget (ACTION_TIMEOUT_SECONDS, default 2 s) via `asyncio.wait_for`; a timeout becomes a
  `RasaException`, which the processor and slot extraction already handle as "action failed";
* any failure is recorded on the current turn (a `ContextVar` the channel sets per request;
  contextvars are per asyncio task, so concurrent conversations never see each other's turn);
* after one failure, later custom actions in the same turn fail at once, so a turn costs at most
  about one budget instead of one per action.
* a form validation (`validate_*`) that cannot run rejects the form's turn instead of crashing it,
  so Rasa predicts again and the rules for a red flag typed during the screening still escalate.

Nothing is cached across turns: the next turn tries the action server again, so the bot recovers as
soon as it is back.

The same install also fixes a cost in Rasa 3.6: `RemoteAction._validate_action_result` calls
`jsonschema.validate`, which re-checks the large events schema against the JSON-Schema metaschema on
every custom action call (about 55 ms of CPU each, several calls per turn). We validate against the
same schema with a validator built once (about 5 ms); the result and the error raised are unchanged.
And Rasa opens a new HTTP client session (and TCP connection) to the action server for every call,
about 10 % of the Rasa process under load; the action endpoint keeps one session open instead. That
session encodes the request (the whole tracker, on every call) with `ujson`, which Rasa already
depends on: the standard encoder was 8 % of the Rasa process under load.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 2.0


@dataclass
class Turn:
    """What happened to custom actions while one user message was processed."""

    failed_actions: list[str] = field(default_factory=list)

    @property
    def action_failed(self) -> bool:
        return bool(self.failed_actions)


current_turn: contextvars.ContextVar[Turn | None] = contextvars.ContextVar("current_turn", default=None)
_installed = False


def action_timeout() -> float:
    """Seconds a custom action may take before the turn is treated as failed."""
    raw = os.environ.get("ACTION_TIMEOUT_SECONDS", "").strip()
    return float(raw) if raw else DEFAULT_TIMEOUT


def install() -> None:
    """Wrap `RemoteAction.run` (idempotent; called when the channel is loaded inside Rasa)."""
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
    from rasa.shared.exceptions import RasaException

    original = RemoteAction.run

    def failed(name: str, reason: str) -> Exception:
        # A form's validation that cannot run rejects the form's turn instead of crashing it: Rasa then
        # predicts again, so the rules for a red flag during the screening still escalate (an outage
        # would otherwise leave the form running and the patient with only the apology).
        if name.startswith("validate_"):
            return ActionExecutionRejection(name, reason)
        return RasaException(reason)

    async def guarded_run(self: Any, *args: Any, **kwargs: Any) -> Any:
        _keep_session_open(self.action_endpoint)
        turn = current_turn.get()
        name = self.name()
        if turn is not None and turn.action_failed:
            raise failed(name, f"Skipped custom action '{name}': action server failed earlier in this turn")
        try:
            return await asyncio.wait_for(original(self, *args, **kwargs), timeout=action_timeout())
        except TimeoutError as exc:
            if turn is not None:
                turn.failed_actions.append(name)
            log.error("Custom action '%s' took longer than %.1f s; treated as failed", name, action_timeout())
            raise failed(name, f"Custom action '{name}' timed out") from exc
        except ActionExecutionRejection:
            raise  # a rejection is a normal form outcome, not an outage
        except Exception as exc:
            if turn is not None:
                turn.failed_actions.append(name)
            raise failed(name, f"Custom action '{name}' failed: {type(exc).__name__}") from exc

    RemoteAction.run = guarded_run  # type: ignore[method-assign]
    RemoteAction._validate_action_result = _cached_validation(RemoteAction)  # type: ignore[method-assign]
    _installed = True
    log.info("Custom action time budget: %.1f s", action_timeout())


class _OpenSession:
    """Stands in for `aiohttp.ClientSession()` in `async with endpoint.session()`, without closing it."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def __aenter__(self) -> Any:
        return self.session

    async def __aexit__(self, *exc: object) -> None:
        return None


def _keep_session_open(endpoint: Any) -> None:
    """Give the action endpoint one client session per event loop, made as Rasa makes its own."""
    if endpoint is None or getattr(endpoint, "_keeps_session", False):
        return
    sessions: dict[int, Any] = {}

    def make() -> Any:
        """Rasa's own settings (`EndpointConfig.session`), with the faster JSON encoder."""
        import aiohttp
        import ujson
        from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT

        basic = endpoint.basic_auth
        auth = aiohttp.BasicAuth(basic["username"], basic["password"]) if basic else None
        return aiohttp.ClientSession(
            headers=endpoint.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            json_serialize=ujson.dumps,
        )

    def session() -> _OpenSession:
        loop = asyncio.get_running_loop()
        current = sessions.get(id(loop))
        if current is None or current.closed:
            current = sessions[id(loop)] = make()
        return _OpenSession(current)

    endpoint.session = session
    endpoint._keeps_session = True


def _cached_validation(remote_action: Any) -> Any:
    """`_validate_action_result` with the schema checked once instead of on every call."""
    import jsonschema
    from rasa.shared.constants import DOCS_BASE_URL

    schema = remote_action.action_response_format_spec()
    jsonschema.validators.validator_for(schema).check_schema(schema)  # once, not per call
    validator = jsonschema.validators.validator_for(schema)(schema)

    def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        try:
            validator.validate(result)
        except jsonschema.ValidationError as exc:
            exc.message += (
                ". Failed to validate Action server response from API, make sure your response from the "
                f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise
        return True

    return validate_action_result
