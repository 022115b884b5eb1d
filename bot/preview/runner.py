"""`python -m bot.preview`: run every scripted dialogue against the real bot and build the preview site.

One bot (Rasa + action server, the trained model, the real content) on free ports; dialogues run one
after the other, each with a fresh sender id. Per dialogue the tracker is saved to
build/preview/trackers/<name>.json (plain Rasa tracker JSON, which the consistency checker reads) and
the run's bookkeeping (message boundaries, slots after each message) to build/preview/runs/<name>.json,
so `--render-only` can rebuild the pages without a server.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot import settings
from bot.preview import coverage as coverage_mod
from bot.preview.compare import (
    DialogueResult,
    Finding,
    compare,
    known_content_ids,
    split_tracker,
    unknown_content_ids,
)
from bot.preview.flow import render_flow
from bot.preview.render import RunInfo, SiteBuilder
from bot.preview.script import Dialogue, ScriptError, load_dialogues, load_story_dialogues

log = logging.getLogger("preview")
WEBHOOK = "/webhooks/rest/webhook"


@dataclass
class Recording:
    """What happened when a dialogue ran: the tracker plus where each patient message's events end."""

    sender: str
    tracker: dict[str, Any]
    sent: list[str] = field(default_factory=list)
    boundaries: list[int] = field(default_factory=list)  # event count before msg 1, after msg 1, ...
    slots: list[dict[str, Any]] = field(default_factory=list)  # tracker slots after each message
    errors: list[str | None] = field(default_factory=list)
    replies: list[list[dict[str, Any]]] = field(default_factory=list)
    duration: float = 0.0
    error: str | None = None

    def meta(self) -> dict[str, Any]:
        return {"sender": self.sender, "sent": self.sent, "boundaries": self.boundaries, "slots": self.slots,
                "errors": self.errors, "replies": self.replies, "duration": self.duration, "error": self.error}


class BotClient:
    """The REST channel (as the web widget uses it) and the tracker API of one running bot."""

    def __init__(self, rasa_url: str, token: str, webhook: str = WEBHOOK, timeout: float = 60) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token
        self.webhook = webhook
        self.timeout = timeout

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        req = urllib.request.Request(self.rasa_url + self.webhook, data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:
            return json.loads(resp.read() or b"[]")

    def tracker(self, sender: str) -> dict[str, Any]:
        query = urllib.parse.urlencode({"token": self.token})
        url = f"{self.rasa_url}/conversations/{urllib.parse.quote(sender)}/tracker?{query}"
        with urllib.request.urlopen(url, timeout=self.timeout) as resp:
            return json.loads(resp.read())

    def status(self) -> dict[str, Any]:
        url = f"{self.rasa_url}/status?{urllib.parse.urlencode({'token': self.token})}"
        with urllib.request.urlopen(url, timeout=self.timeout) as resp:
            return json.loads(resp.read())


def _http_error(exc: Exception) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        with contextlib.suppress(Exception):
            return f"HTTP {exc.code}: {exc.read()[:200].decode('utf-8', 'replace')}"
        return f"HTTP {exc.code}"
    return f"{type(exc).__name__}: {exc}"


def run_dialogue(client: BotClient, dialogue: Dialogue) -> Recording:
    """Send the script's patient messages one by one, recording the tracker after each."""
    sender = f"preview-{dialogue.name[:60]}-{uuid.uuid4().hex[:12]}"
    rec = Recording(sender=sender, tracker={"sender_id": sender, "events": []})
    started = time.monotonic()
    try:
        rec.tracker = client.tracker(sender)
    except Exception as exc:  # noqa: BLE001 - a missing tracker is just an empty conversation
        log.debug("no tracker yet for %s: %s", sender, exc)
    rec.boundaries.append(len(rec.tracker.get("events") or []))
    for text in dialogue.user_messages:
        rec.sent.append(text)
        error = None
        try:
            rec.replies.append(client.say(sender, text))
        except Exception as exc:  # noqa: BLE001 - shown on the page, the run goes on
            error = _http_error(exc)
            rec.replies.append([])
        rec.errors.append(error)
        try:
            rec.tracker = client.tracker(sender)
        except Exception as exc:  # noqa: BLE001
            rec.error = f"Trackeren kunne ikke hentes: {_http_error(exc)}"
            break
        rec.boundaries.append(len(rec.tracker.get("events") or []))
        rec.slots.append(dict(rec.tracker.get("slots") or {}))
    rec.duration = time.monotonic() - started
    return rec


def consistency_findings(events: list[dict[str, Any]], library: Any) -> tuple[list[Finding], str | None]:
    """bot.summary's consistency check on one conversation; (findings, note when unavailable)."""
    try:
        from bot.summary import check  # type: ignore[attr-defined]
    except ImportError:
        try:
            from bot.summary.consistency import check
        except ImportError as exc:
            return [], f"Konsistenstjekket (bot.summary.check) findes ikke endnu: {exc}"
    report = check(events, library)
    findings = []
    for f in getattr(report, "findings", []) or []:
        severity = str(getattr(f, "severity", "severe"))
        where = []
        if getattr(f, "content_id", None):
            where.append(f"indhold {f.content_id}")
        if getattr(f, "recommendation", None):
            where.append(f"anbefaling {f.recommendation}")
        text = f"[{getattr(f, 'code', '?')}] {getattr(f, 'message', f)}"
        findings.append(Finding(text + (f" ({', '.join(where)})" if where else ""), severe=severity == "severe"))
    return findings, None


def evaluate(dialogue: Dialogue, rec: Recording, library: Any) -> tuple[DialogueResult, str | None]:
    """Compare a recording with its script and add script and consistency findings."""
    segments = split_tracker(rec.tracker, rec.boundaries or None, rec.sent or None, rec.slots or None,
                             rec.errors or None)
    result = compare(dialogue, segments)
    result.error = rec.error
    result.sender = rec.sender
    result.duration = rec.duration
    note = None
    if library is not None:
        result.findings += unknown_content_ids(dialogue, known_content_ids(library))
        try:
            found, note = consistency_findings(list(rec.tracker.get("events") or []), library)
        except Exception as exc:  # noqa: BLE001 - a crashing checker must be visible, not fatal
            found, note = [Finding(f"Konsistenstjekket fejlede: {_http_error(exc)}")], None
        result.findings += found
        result.consistency_checked = note is None
    return result, note


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _load_library(info: RunInfo) -> Any:
    from bot.content import ContentError, load_library

    try:
        library = load_library(settings.CONTENT_DIR)
    except ContentError as exc:
        info.problems.append(f"Indholdet i content/ har fejl og kan ikke vises korrekt: {exc}")
        return None
    info.content_version = library.version
    info.guideline_versions = {gid: g.version for gid, g in library.guidelines.items()}
    return library


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.preview", description=__doc__.splitlines()[0])
    parser.add_argument("--dialogues", type=Path, default=settings.ROOT / "tests" / "dialogues")
    parser.add_argument("--stories", type=Path, default=settings.ROOT / "tests" / "stories" / "test_stories.yml",
                        help="Rasa test stories, replayed so the consistency check covers them too")
    parser.add_argument("--out", type=Path, default=settings.ROOT / "build" / "preview")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only these dialogues (repeatable)")
    parser.add_argument("--model", type=Path, default=None, help="model file (default models/current.tar.gz)")
    parser.add_argument("--render-only", action="store_true",
                        help="rebuild the pages from the trackers saved by the last run (no server)")
    parser.add_argument("--rasa-url", default=None, help="use an already running bot instead of starting one")
    parser.add_argument("--token", default=settings.RASA_AUTH_TOKEN, help="with --rasa-url: its API token")
    parser.add_argument("--webhook", default=WEBHOOK)
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


def _record_all(args: argparse.Namespace, dialogues: list[Dialogue], info: RunInfo) -> dict[str, Recording]:
    """Start one bot (unless --rasa-url) and run the dialogues sequentially."""
    recordings: dict[str, Recording] = {}
    from bot.launcher import Stack, latest_model

    model = args.model or latest_model()
    info.model_path = str(model.relative_to(settings.ROOT) if model.is_relative_to(settings.ROOT) else model)
    info.model_sha256 = file_sha256(model)
    info.model_mtime = datetime.fromtimestamp(model.stat().st_mtime)
    if not args.only:  # a full run: start from clean logs and drop trackers of removed dialogues
        shutil.rmtree(args.out / "logs", ignore_errors=True)
        names = {d.name for d in dialogues}
        for folder in ("trackers", "runs"):
            for stale in (args.out / folder).glob("*.json"):
                if stale.stem not in names:
                    stale.unlink()
    with tempfile.TemporaryDirectory(prefix="preview-") as tmp:
        stack = None
        if args.rasa_url:
            client = BotClient(args.rasa_url, args.token, args.webhook)
        else:
            stack = Stack(model=model, web=False, log_dir=args.out / "logs",
                          extra_env={"TRACKER_DB_URL": f"sqlite:///{Path(tmp) / 'tracker.db'}",
                                     # the review shows the content, not this machine's speed: a busy CI
                                     # machine once took over the 2 s action budget mid-dialogue
                                     "ACTION_TIMEOUT_SECONDS": os.environ.get("ACTION_TIMEOUT_SECONDS", "10")})
            print(f"Starter botten med {info.model_path} (logs: {args.out / 'logs'}) ...", flush=True)
            stack.start()
            client = BotClient(stack.rasa_url, stack.token, args.webhook)
        try:
            with contextlib.suppress(Exception):
                info.model_id = str(client.status().get("model_id") or "") or None
            for dialogue in dialogues:
                rec = run_dialogue(client, dialogue)
                recordings[dialogue.name] = rec
                _write_json(args.out / "trackers" / f"{dialogue.name}.json", rec.tracker)
                _write_json(args.out / "runs" / f"{dialogue.name}.json", rec.meta())
        finally:
            if stack is not None:
                stack.stop()
    return recordings


def _load_recordings(out: Path, dialogues: list[Dialogue]) -> dict[str, Recording]:
    recordings: dict[str, Recording] = {}
    for dialogue in dialogues:
        tracker_path = out / "trackers" / f"{dialogue.name}.json"
        if not tracker_path.is_file():
            continue
        meta_path = out / "runs" / f"{dialogue.name}.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        recordings[dialogue.name] = Recording(
            sender=meta.get("sender", ""),
            tracker=json.loads(tracker_path.read_text(encoding="utf-8")),
            sent=meta.get("sent", []),
            boundaries=meta.get("boundaries", []),
            slots=meta.get("slots", []),
            errors=meta.get("errors", []),
            replies=meta.get("replies", []),
            duration=meta.get("duration", 0.0),
            error=meta.get("error"),
        )
    return recordings


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    args.out = args.out.resolve()
    info = RunInfo(generated_at=datetime.now().replace(microsecond=0), rendered_only=args.render_only)
    try:
        dialogues = load_dialogues(args.dialogues) + load_story_dialogues(args.stories)
    except ScriptError as exc:
        print(f"Scriptfejl: {exc}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 2
    if args.only:
        unknown = sorted(set(args.only) - {d.name for d in dialogues})
        if unknown:
            print(f"Ukendte dialoger: {', '.join(unknown)}", file=sys.stderr)
            return 2
        dialogues = [d for d in dialogues if d.name in args.only]
    library = _load_library(info)

    dot, images, problem = render_flow(settings.ROOT / "bot" / "data", settings.ROOT / "domain.yml", args.out)
    info.flow_dot = dot.name
    if images:
        info.flow_svg = images[0].name
        info.flow_png = images[-1].name if len(images) > 1 else None
    if problem:
        info.problems.append(problem)

    if args.render_only:
        recordings = _load_recordings(args.out, dialogues)
        model = args.model or settings.ROOT / "models" / "current.tar.gz"
        if model.is_file():
            info.model_path = str(model.relative_to(settings.ROOT) if model.is_relative_to(settings.ROOT)
                                  else model)
            info.model_sha256 = file_sha256(model)
            info.model_mtime = datetime.fromtimestamp(model.stat().st_mtime)
            info.notes.append("Siderne er gengivet fra gemte samtaler; modellen ovenfor er den nuværende fil, "
                              "ikke nødvendigvis den, samtalerne blev kørt med.")
    else:
        try:
            recordings = _record_all(args, dialogues, info)
        except Exception as exc:  # noqa: BLE001 - still write a page that says why
            info.problems.append(f"Botten kunne ikke startes eller køres: {_http_error(exc)}")
            recordings = {}

    results: list[DialogueResult] = []
    notes: set[str] = set()
    for dialogue in dialogues:
        rec = recordings.get(dialogue.name)
        if rec is None:
            result = compare(dialogue, [])
            result.error = "Dialogen blev ikke kørt."
        else:
            result, note = evaluate(dialogue, rec, library)
            if note:
                notes.add(note)
        results.append(result)
    info.notes += sorted(notes)

    cov = None
    if library is not None:
        cov = coverage_mod.compute(library, results, coverage_mod.source_recommendation_ids(settings.GUIDELINES_DIR))
    index = SiteBuilder(library, args.out, settings.ROOT).write(results, cov, info)

    for result in results:
        mark = "PASS" if result.passed else "FAIL"
        detail = ""
        if not result.passed:
            parts = []
            if result.error:
                parts.append(result.error)
            if result.failed_exchanges:
                parts.append("afviger ved besked " + ", ".join(str(i + 1) for i in result.failed_exchanges))
            severe = [f.message for f in result.findings if f.severe]
            if severe:
                parts.append(f"{len(severe)} alvorlige fund: {severe[0]}")
            detail = " – " + "; ".join(parts)
        print(f"{mark} {result.dialogue.name}{detail}")
    for problem in info.problems:
        print(f"PROBLEM {problem}")
    if cov is not None:
        if cov.recommendation_gaps:
            print(f"Anbefalinger uden bestået dialog: {', '.join(cov.recommendation_gaps)}")
        if cov.red_flag_gaps:
            print(f"Faresignaler uden bestået dialog: {', '.join(cov.red_flag_gaps)}")
    print(f"Preview: {index}")
    passed = sum(r.passed for r in results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and not info.problems else 1
