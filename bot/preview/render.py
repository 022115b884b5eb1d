"""Static HTML site for clinicians: index (status, coverage, flow) and one transcript page per dialogue.

All text is escaped by Jinja2 (autoescape); bot Markdown is rendered by markdown-it-py with raw HTML
off, images off and only https:, mailto: and tel: links, so nothing in content or in a patient's
message can inject markup into the pages clinicians approve from.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown_it import MarkdownIt
from markupsafe import Markup

from bot.preview.compare import NO_ID, BotMessage, DialogueResult, ExchangeResult, content_message
from bot.preview.coverage import Coverage

HERE = Path(__file__).resolve().parent
ALLOWED_SCHEMES = ("https:", "mailto:", "tel:")
TIER_LABELS = {
    "emergency": "Akut – ring 112",
    "same_day": "Samme dag – læge/lægevagt i dag",
    "soon": "Snart – egen læge inden for få dage",
    "none": "ingen",
}
CONDITION_LABELS = {"neck": "Nakke", "radiculopathy": "Iskias (lumbal nerverod)", "both": "Begge"}
KIND_LABELS = {"advice": "Råd", "safety": "Sikkerhed", "navigation": "Navigation"}
ROW_LABELS = {
    "equal": "som forventet",
    "changed": "anden besked end forventet",
    "missing": "forventet, men ikke sagt",
    "unexpected": "sagt, men ikke forventet",
    "wildcard": "(vilkårlig besked tilladt)",
    "unchecked": "ikke tjekket",
}


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(ALLOWED_SCHEMES)


def make_markdown() -> MarkdownIt:
    """CommonMark without raw HTML or images; links only to https/mailto/tel."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


_MD = make_markdown()
_ANY_LINK = MarkdownIt("commonmark", {"html": False}).disable("image")
_ANY_LINK.validateLink = lambda url: True  # type: ignore[method-assign]  # only to find refused links


def render_markdown(text: str) -> Markup:
    """Bot Markdown as safe HTML (markdown-it escapes everything it does not turn into markup)."""
    return Markup(_MD.render(text or ""))


def rejected_links(text: str) -> list[str]:
    """Link targets in the text that the renderer refused (shown to clinicians as a problem)."""
    found: list[str] = []
    for token in _ANY_LINK.parseInline(text or ""):
        for child in token.children or []:
            if child.type == "link_open" and not _safe_link(str(child.attrs.get("href", ""))):
                found.append(str(child.attrs.get("href", "")))
    return found


@dataclass
class RunInfo:
    """What was previewed: the content and model versions and when."""

    generated_at: datetime
    content_version: str | None = None
    model_path: str | None = None
    model_sha256: str | None = None
    model_mtime: datetime | None = None
    model_id: str | None = None
    guideline_versions: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    flow_svg: str | None = None
    flow_png: str | None = None
    flow_dot: str | None = None
    rendered_only: bool = False


def _rel(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target, start)).as_posix()


class SiteBuilder:
    """Turns results into view models and writes the pages."""

    def __init__(self, library: Any, out_dir: Path, root: Path) -> None:
        self.library = library
        self.out_dir = out_dir
        self.root = root
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["md"] = render_markdown
        self.env.globals.update(TIER_LABELS=TIER_LABELS, CONDITION_LABELS=CONDITION_LABELS,
                                KIND_LABELS=KIND_LABELS, ROW_LABELS=ROW_LABELS, NO_ID=NO_ID)

    # --- view models --------------------------------------------------------------------------------
    def recommendation_view(self, rid: str) -> dict[str, Any]:
        lib = self.library
        if lib is None or rid not in lib.recommendations:
            return {"id": rid, "known": False}
        rec = lib.recommendation(rid)
        strength = lib.strengths.get(rec.strength)
        guideline = lib.guidelines.get(rec.guideline)
        return {
            "id": rid,
            "known": True,
            "strength": strength.label if strength else rec.strength,
            "symbol": strength.symbol if strength else "",
            "patient_phrase": strength.patient_phrase if strength else "",
            "evidence": lib.evidence_label(rec),
            "text": rec.text,
            "guideline": guideline.short_title if guideline else rec.guideline,
            "guideline_version": guideline.version if guideline else "",
            "guideline_status": guideline.status if guideline else "",
        }

    def message_view(self, message: BotMessage, page_dir: Path) -> dict[str, Any]:
        meta = message.metadata
        cid = message.content_id
        source = content_message(self.library, cid)
        link = None
        location = None
        if source is not None and source.path != Path():
            path = Path(source.path)
            if not path.is_absolute():
                path = self.root / path
            link = f"{_rel(path, page_dir)}#L{source.line}"
            try:
                location = f"{path.relative_to(self.root).as_posix()}:{source.line}"
            except ValueError:
                location = f"{path.as_posix()}:{source.line}"
        rec_ids = list(meta.get("recommendations") or [])
        problems = []
        if cid is None:
            problems.append("Beskeden har intet content-id: teksten kommer ikke fra content/ og er ikke godkendt.")
        elif self.library is not None and source is None:
            problems.append(f"content-id '{cid}' findes ikke i det nuværende indhold (ændret siden kørslen?).")
        for url in rejected_links(message.text):
            problems.append(f"Linket '{url}' er ikke tilladt (kun https, mailto og tel) og vises som tekst.")
        red_flag = meta.get("red_flag")
        reason = None
        if red_flag and self.library is not None:
            try:
                reason = self.library.red_flag(red_flag).reason
            except KeyError:
                reason = None
        return {
            "text": message.text,
            "buttons": message.buttons,
            "content_id": cid,
            "link": link,
            "location": location,
            "kind": meta.get("kind") or (source.kind if source else None),
            "condition": meta.get("condition"),
            "utter_action": meta.get("utter_action"),
            "recommendations": [self.recommendation_view(r) for r in rec_ids],
            "urgency": meta.get("urgency"),
            "red_flag": red_flag,
            "red_flag_reason": reason,
            "withheld": meta.get("withheld"),
            "content_version": meta.get("content_version"),
            "problems": problems,
            "summary_markdown": message.custom.get("summary_markdown"),
            "filename": message.custom.get("filename"),
        }

    def exchange_view(self, index: int, x: ExchangeResult, previous_buttons: list[dict[str, Any]],
                      page_dir: Path) -> dict[str, Any]:
        user = x.user
        clicked = None
        if user and user.startswith("/"):
            clicked = next((b.get("title") for b in previous_buttons if b.get("payload") == user), None)
        bot = [self.message_view(m, page_dir) for m in x.bot]
        rows = []
        for row in x.rows:
            actual = bot[row.actual] if row.actual is not None and row.actual < len(bot) else None
            rows.append({
                "status": row.status,
                "ok": row.ok,
                "expected": row.expected,
                "actual": (actual["content_id"] or NO_ID) if actual else None,
                "actual_index": row.actual,
            })
        status_by_message = {r["actual_index"]: r["status"] for r in rows if r["actual_index"] is not None}
        for i, message in enumerate(bot):
            message["status"] = status_by_message.get(i, "unchecked")
        return {
            "index": index,
            "anchor": f"t{index}",
            "user": user,
            "clicked": clicked,
            "intent": x.segment.intent if x.segment else None,
            "stored_user": (x.segment.stored_user if x.segment and x.segment.stored_user is not None
                            and x.segment.stored_user != user else None),
            "bot": bot,
            "rows": rows,
            "slot_checks": x.slot_checks,
            "problems": x.problems,
            "ok": x.ok,
            "checked": x.checked,
            "scripted": x.exchange is not None,
            "notes": x.exchange.notes if x.exchange else [],
            "expected": x.exchange.bot if x.exchange else None,
        }

    def dialogue_view(self, result: DialogueResult, page_dir: Path) -> dict[str, Any]:
        exchanges = []
        buttons: list[dict[str, Any]] = []
        for i, x in enumerate(result.exchanges):
            view = self.exchange_view(i, x, buttons, page_dir)
            view["anchor"] = f"{result.dialogue.name}-{i + 1}"  # unique also on the all-in-one page
            exchanges.append(view)
            if x.bot:
                buttons = [b for m in x.bot for b in m.buttons]
        d = result.dialogue
        script_path = d.path if d.path.is_absolute() else self.root / d.path
        try:
            script_location = f"{script_path.relative_to(self.root).as_posix()}:{d.line}"
        except ValueError:
            script_location = f"{script_path.as_posix()}:{d.line}"
        return {
            "name": d.name,
            "title": d.title,
            "group": d.group,
            "description": d.description,
            "tags": d.tags,
            "passed": result.passed,
            "error": result.error,
            "findings": result.findings,
            "consistency_checked": result.consistency_checked,
            "sender": result.sender,
            "duration": result.duration,
            "exchanges": exchanges,
            "failed": [e for e in exchanges if not e["ok"]],
            "script_link": _rel(script_path, page_dir),
            "script_location": script_location,
            "page": f"dialogues/{d.name}.html",
        }

    # --- pages --------------------------------------------------------------------------------------
    def write(self, results: list[DialogueResult], coverage: Coverage | None, info: RunInfo) -> Path:
        """Write index.html, all.html (print everything) and one page per dialogue; returns index."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        dialogue_dir = self.out_dir / "dialogues"
        if dialogue_dir.exists():
            shutil.rmtree(dialogue_dir)
        dialogue_dir.mkdir()
        shutil.copyfile(HERE / "static" / "preview.css", self.out_dir / "preview.css")
        passed = sum(r.passed for r in results)
        common = {"info": info, "passed": passed, "failed": len(results) - passed, "total": len(results)}

        page_views = [self.dialogue_view(r, dialogue_dir) for r in results]
        template = self.env.get_template("dialogue.html.j2")
        for i, view in enumerate(page_views):
            prev_view = page_views[i - 1] if i > 0 else None
            next_view = page_views[i + 1] if i + 1 < len(page_views) else None
            html = template.render(d=view, prev=prev_view, next=next_view, css="../preview.css",
                                   home="../index.html", **common)
            (dialogue_dir / f"{view['name']}.html").write_text(html, encoding="utf-8")

        index_views = [self.dialogue_view(r, self.out_dir) for r in results]
        index = self.out_dir / "index.html"
        index.write_text(self.env.get_template("index.html.j2").render(
            dialogues=index_views, coverage=coverage, css="preview.css", home="index.html", **common,
        ), encoding="utf-8")
        (self.out_dir / "all.html").write_text(self.env.get_template("all.html.j2").render(
            dialogues=index_views, css="preview.css", home="index.html", **common,
        ), encoding="utf-8")
        return index
