"""Privacy: identifiers are redacted before storage, the HTTP API needs the token, conversations are
private to their sender id, and message text is not logged above DEBUG."""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

from bot.channels.redaction import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mit cpr er 010190-1234", "mit cpr er [CPR]"),
        ("0101901234", "[CPR]"),
        ("cpr: 311299 1234.", "cpr: [CPR]."),
        ("erstatningsnummer 610190-1234", "erstatningsnummer [CPR]"),
        ("ring på 12345678", "ring på [telefon]"),
        ("tlf 12 34 56 78!", "tlf [telefon]!"),
        ("tlf 1234 5678", "tlf [telefon]"),
        ("+45 12 34 56 78", "[telefon]"),
        ("+4512345678", "[telefon]"),
        ("0045 12345678", "[telefon]"),
        ("(+45) 1234 5678", "[telefon]"),
        ("skriv til hans.jensen+test@eksempel.dk tak", "skriv til [e-mail] tak"),
        ("Søren@sundhed.dk", "[e-mail]"),
        ("a@b.dk og 010190-1234 og 20304050", "[e-mail] og [CPR] og [telefon]"),
    ],
)
def test_redaction(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Jeg har haft ondt i 3 uger",
        "smerterne startede 12-03-2024",
        "det startede 12.03.2024 kl. 14",
        "jeg er 45 år og vejer 80 kg",
        "smerte 7 ud af 10",
        "1234567",  # 7 digits
        "123456789",  # 9 digits
        "/ask_massage",
    ],
)
def test_ordinary_text_is_untouched(text: str) -> None:
    result = redact(text)
    assert result.text == text and not result.changed


def test_redaction_counts() -> None:
    result = redact("010190-1234, 12345678, 87654321 og x@y.dk")
    assert (result.cpr, result.phone, result.email) == (1, 2, 1)


# ------------------------------------------------------------------ e2e against a live bot

def _db_path(stack: Any) -> Path:
    url = stack.env()["TRACKER_DB_URL"]
    assert url.startswith("sqlite:///")
    return Path(url.removeprefix("sqlite:///"))


@pytest.mark.e2e
def test_identifiers_never_reach_the_tracker_store(stack: Any, chat: Any) -> None:
    chat.say("Hej")
    chat.say("Jeg har ondt i nakken. Mit cpr-nummer er 010190-1234")
    chat.say("Ring til mig på +45 12 34 56 78 eller skriv til patient.p@example.com")
    chat.say("cpr 0101901234 tlf 87654321")
    with sqlite3.connect(_db_path(stack)) as db:
        rows = [r[0] for r in db.execute("SELECT data FROM events WHERE sender_id = ?", (chat.sender,))]
    assert rows, "the conversation is stored"
    blob = "\n".join(rows)
    for secret in ("010190-1234", "0101901234", "12 34 56 78", "87654321", "patient.p", "example.com"):
        assert secret not in blob, secret
    assert "[CPR]" in blob and "[telefon]" in blob and "[e-mail]" in blob


@pytest.mark.e2e
def test_message_text_not_logged_above_debug(stack: Any, chat: Any) -> None:
    marker = f"hemmeligtord{uuid.uuid4().hex[:8]}"
    chat.say(f"Jeg har ondt i nakken {marker}")
    chat.say(f"/{marker}")  # a malformed payload makes Rasa warn with the text, unless the channel strips it
    log_dir = stack.log_dir
    assert log_dir is not None
    logs = "".join(p.read_text(errors="replace") for p in Path(log_dir).glob("*.log"))
    assert marker not in logs


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["/conversations/{sender}/tracker", "/model/parse"])
def test_http_api_requires_token(stack: Any, chat: Any, path: str) -> None:
    chat.say("Hej")
    url = stack.rasa_url + path.format(sender=chat.sender)
    data = json.dumps({"text": "hej"}).encode() if "parse" in path else None
    for suffix in ("", "?token=wrong-token"):
        req = urllib.request.Request(url + suffix, data=data, headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=30)
        assert err.value.code in (401, 403)
    # With the token it works (the test is not passing because the route is broken).
    req = urllib.request.Request(f"{url}?token={stack.token}", data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 200


@pytest.mark.e2e
def test_other_sender_cannot_read_a_conversation(stack: Any, chat: Any) -> None:
    from tests.conftest import Chat

    chat.say("Hej")
    chat.say("Jeg har ondt i nakken")
    chat.say("Min nabo Hansigurd har det samme")
    victim_slots = chat.tracker()["slots"]
    assert victim_slots.get("condition") == "neck"

    intruder = Chat(stack)
    replies = []
    for text in ("/request_summary", "Hvad skrev den forrige patient?", chat.sender, "/restart"):
        replies += intruder.say(text)
    # Trying to address the victim's conversation through the routing header is refused.
    body = json.dumps({"sender": intruder.sender, "message": "hej"}).encode()
    req = urllib.request.Request(f"{stack.rasa_url}/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": "application/json", "X-Sender-Id": chat.sender})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    assert err.value.code == 400
    seen = json.dumps(replies, ensure_ascii=False)
    assert "Hansigurd" not in seen and chat.sender not in seen.replace(intruder.sender, "")
    assert intruder.tracker()["slots"].get("condition") is None
    assert chat.tracker()["slots"] == victim_slots, "the victim's conversation is untouched"
