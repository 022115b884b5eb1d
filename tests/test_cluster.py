"""Scale-out: two Rasa instances sharing PostgreSQL (tracker store) and Redis (lock store) keep one
conversation consistent whichever instance serves each turn; nginx keeps a conversation sticky."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from deploy.cluster import Cluster

    with Cluster(instances=2, web=False) as running:
        yield running


def _say(base_url: str, sender: str, text: str, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(f"{base_url}/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def _tracker(stack: Any, sender: str) -> dict[str, Any]:
    url = f"{stack.rasa_url}/conversations/{sender}/tracker?token={stack.token}"
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read())


def _history(tracker: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(e["event"], e.get("text") or e.get("name") or e.get("value")) for e in tracker["events"]]


def test_alternating_instances_share_one_conversation(cluster: Any) -> None:
    a, b = cluster.stacks
    sender = f"cluster-{uuid.uuid4().hex}"
    turns = ["Hej", "Jeg har ondt i nakken", "nej", "nej", "Jeg har feber og en meget stiv nakke"]
    replies = []
    for i, text in enumerate(turns):
        replies.append(_say((a if i % 2 == 0 else b).rasa_url, sender, text))
    assert all(replies), "every turn is answered"

    ta, tb = _tracker(a, sender), _tracker(b, sender)
    assert ta["slots"] == tb["slots"]
    assert _history(ta) == _history(tb)
    assert ta["slots"]["condition"] == "neck"
    users = [e["text"] for e in ta["events"] if e["event"] == "user"]
    assert users == turns, "every turn stored once, in order"
    bots = [e for e in ta["events"] if e["event"] == "bot"]
    assert len(bots) >= len(turns)
    # Urgency set on one instance is seen (and never lowered) on the other.
    urgency = ta["slots"].get("urgency")
    _say(b.rasa_url if len(turns) % 2 == 0 else a.rasa_url, sender, "nej tak")
    assert _tracker(a, sender)["slots"].get("urgency") == urgency


def test_nginx_is_sticky_by_sender(cluster: Any) -> None:
    sender = f"sticky-{uuid.uuid4().hex}"
    for text in ("Hej", "Jeg har ondt i nakken", "nej"):
        assert _say(cluster.url, sender, text, headers={"X-Sender-Id": sender})
    log = (cluster.workdir / "nginx" / "access.log").read_text()
    upstreams = {line.rsplit(" ", 1)[-1] for line in log.splitlines() if "/webhooks/rest/webhook" in line}
    assert len(upstreams) >= 1
    # The last three webhook requests (ours) went to one instance.
    ours = [line.rsplit(" ", 1)[-1] for line in log.splitlines() if "/webhooks/rest/webhook" in line][-3:]
    assert len(set(ours)) == 1
    assert sender not in log, "sender ids are not written to the access log"


def test_http_api_not_exposed_through_nginx(cluster: Any) -> None:
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{cluster.url}/conversations/x/tracker?token={cluster.token}", timeout=10)
    assert err.value.code in (403, 404, 502)


def test_conversation_survives_the_database_dropping_its_connections(cluster: Any) -> None:
    """PostgreSQL restarted or a connection killed: the store retries once on a fresh connection
    (no pre-ping round trip on every checkout), so the patient's next turn is answered and stored."""
    import psycopg2

    a, _ = cluster.stacks
    sender = f"dropped-{uuid.uuid4().hex}"
    assert _say(a.rasa_url, sender, "Hej")
    conn = psycopg2.connect(host="127.0.0.1", port=cluster.pg_port, user="rasa", dbname="rasa")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = 'rasa' AND pid <> pg_backend_pid()")
        assert cur.fetchone()[0] >= 1, "the Rasa instances had open connections to drop"
    conn.close()
    replies = _say(a.rasa_url, sender, "Jeg har ondt i nakken")
    assert replies and all("beklager" not in (r.get("text") or "").lower() for r in replies)
    users = [e["text"] for e in _tracker(a, sender)["events"] if e["event"] == "user"]
    assert users == ["Hej", "Jeg har ondt i nakken"]
