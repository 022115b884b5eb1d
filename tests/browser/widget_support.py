"""Helpers for the widget's browser tests: a patient driving the page, and a fake Rasa REST server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = settings.ROOT / "build" / "screenshots"
WEBHOOK = "/webhooks/rest/webhook"

Reply = list[dict[str, Any]] | Callable[[str, str], list[dict[str, Any]]]


class ChatPage:
    """A patient using the widget on the clinic page."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("dialog", self._on_dialog)

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    # navigation
    def goto(self, url: str) -> ChatPage:
        self.page.goto(url)
        self.page.wait_for_selector("html[data-chat-ready='true']", state="attached")
        return self

    def reload(self) -> None:
        self.page.reload()
        self.page.wait_for_selector("html[data-chat-ready='true']", state="attached")

    def open(self) -> None:
        if self.page.locator(".kc-panel").is_hidden():
            self.page.locator(".kc-launcher").click()
        self.page.locator("#kc-input").wait_for(state="visible")

    # conversation
    def wait_idle(self, timeout: float = 90_000) -> None:
        self.page.wait_for_selector(".kc-root[data-busy='false']", state="attached", timeout=timeout)

    def say(self, text: str) -> None:
        self.page.locator("#kc-input").fill(text)
        self.page.locator("#kc-input").press("Enter")
        self.wait_idle()

    def quick_reply(self, title: str) -> Any:
        return self.page.locator(".kc-quick-group").get_by_role("button", name=title, exact=True)

    def click_reply(self, title: str) -> None:
        self.quick_reply(title).last.click()
        self.wait_idle()

    @property
    def bot(self) -> Any:
        return self.page.locator(".kc-msg--bot")

    @property
    def user(self) -> Any:
        return self.page.locator(".kc-msg--user")

    def bot_texts(self) -> list[str]:
        return [t.strip() for t in self.page.locator(".kc-msg--bot .kc-md").all_inner_texts()]

    def sender(self) -> str | None:
        return self.page.evaluate("() => sessionStorage.getItem('klinikchat.sender')")

    def csp_violations(self) -> list[str]:
        return [m for m in self.console_errors if "Content Security Policy" in m or "Refused to" in m]

    def focus_ring(self) -> dict[str, str]:
        """Computed outline / box-shadow of the focused element."""
        return self.page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                     return {outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow,
                             tag: document.activeElement.tagName, text: document.activeElement.textContent}; }"""
        )


def focused_text(page: Any) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def tab_to(page: Any, done: Callable[[], bool], key: str = "Tab", limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until `done()`; keyboard-only navigation as a patient would do it."""
    for _ in range(limit):
        if done():
            return
        page.keyboard.press(key)
    raise AssertionError(f"focus never reached the target with {key}")


def assert_focus_visible(chat: ChatPage) -> None:
    ring = chat.focus_ring()
    assert not ring["outline"].startswith("none") or ring["shadow"] != "none", ring


# ------------------------------------------------------------------ fake Rasa REST channel
@dataclass
class FakeRasa:
    """Canned REST-channel replies; records what the widget sent. Speaks CORS like `rasa run --cors`."""

    allowed_origins: list[str]
    port: int = 0
    status: int = 200
    replies: dict[str, Reply] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    delay: float = 0.0
    error_body: list[dict[str, Any]] | None = None
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reply(self, sender: str, message: str) -> list[dict[str, Any]]:
        canned = self.replies.get(message)
        if canned is None:
            return [{"recipient_id": sender, "text": f"Du skrev: {message}"}]
        if callable(canned):
            return canned(sender, message)
        return [{"recipient_id": sender, **m} for m in canned]

    def start(self) -> FakeRasa:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _cors(self) -> None:
                origin = self.headers.get("Origin", "")
                if origin in fake.allowed_origins:
                    self.send_header("Access-Control-Allow-Origin", origin)
                    self.send_header("Vary", "Origin")

            def do_OPTIONS(self) -> None:  # noqa: N802
                self.send_response(204)
                self._cors()
                self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
                self.send_header("Access-Control-Allow-Headers",
                                 self.headers.get("Access-Control-Request-Headers", ""))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.received.append(body)
                fake.headers.append(dict(self.headers.items()))
                if fake.delay:
                    threading.Event().wait(fake.delay)
                if self.path != WEBHOOK:
                    status, payload = 404, {"error": "not found"}
                elif fake.status != 200:
                    status = fake.status
                    payload = fake.error_body if fake.error_body is not None else {"error": "canned failure"}
                else:
                    status, payload = 200, fake.reply(body.get("sender", ""), body.get("message", ""))
                data = json.dumps(payload).encode()
                self.send_response(status)
                self._cors()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, fmt: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


@dataclass
class FakeSite:
    web_url: str
    rasa: FakeRasa




def keyboard_walk(chat: ChatPage) -> None:
    """Keyboard only: open the chat, type "hej", choose "Nakken" with Space and "Nej" with Enter."""
    page = chat.page
    tab_to(page, lambda: page.evaluate("() => document.activeElement.classList.contains('kc-launcher')"))
    assert_focus_visible(chat)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "kc-input"
    assert_focus_visible(chat)
    page.keyboard.type("hej")
    page.keyboard.press("Enter")
    chat.wait_idle()
    tab_to(page, lambda: focused_text(page) == "Nakken", key="Shift+Tab")
    assert_focus_visible(chat)
    page.keyboard.press("Space")
    chat.wait_idle()
    assert chat.user.last.inner_text().endswith("Nakken")
    tab_to(page, lambda: focused_text(page) == "Nej")
    assert_focus_visible(chat)
    page.keyboard.press("Enter")
    chat.wait_idle()
    assert chat.user.last.inner_text().endswith("Nej")
