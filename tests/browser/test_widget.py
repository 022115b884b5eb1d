"""The clinic page and chat widget against the real bot (Rasa + actions + web), in headless chromium.

Needs a trained model (models/current.tar.gz); the `stack` fixture starts everything on free ports.
Offline behaviour (server down, errors, retry, renderer) is in test_widget_offline.py.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from bot.launcher import free_port
from bot.webserver import make_server, serve_in_thread
from tests.browser.widget_support import (
    SCREENSHOTS,
    ChatPage,
    keyboard_walk,
)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

NewPage = Callable[..., ChatPage]
MAX_SCREENING_QUESTIONS = 8


def start(new_page: NewPage, stack: Any, width: int = 1280, height: int = 800) -> ChatPage:
    chat = new_page(width, height).goto(stack.web_url)
    chat.open()
    return chat


def answer_screening_with_no(chat: ChatPage) -> int:
    """Click "Nej" as long as a yes/no screening question is on screen; returns how many were answered."""
    for answered in range(MAX_SCREENING_QUESTIONS + 1):
        if chat.quick_reply("Nej").count() == 0:
            return answered
        chat.click_reply("Nej")
    raise AssertionError(f"still asking yes/no questions after {MAX_SCREENING_QUESTIONS} answers")


def no_errors(chat: ChatPage) -> None:
    assert chat.page.locator(".kc-msg--error").count() == 0, chat.page.locator(".kc-msg--error").all_inner_texts()
    assert not chat.page_errors, chat.page_errors
    assert not chat.csp_violations(), chat.csp_violations()


def test_neck_conversation(new_page: NewPage, stack: Any) -> None:
    chat = start(new_page, stack)
    chat.say("hej")
    assert chat.quick_reply("Nakken").count() == 1
    chat.click_reply("Nakken")
    answered = answer_screening_with_no(chat)
    assert 1 <= answered <= 6
    after = chat.bot.count()
    assert chat.page.locator(".kc-msg--emergency").count() == 0
    texts = chat.bot_texts()
    assert texts and all(texts), texts  # reassurance after screening, no empty bubbles

    chat.say("hvad med massage?")
    new = chat.bot_texts()[after:]
    assert any("nøje overvejelse" in t for t in new), new
    # the answer's Markdown bold is rendered as <strong>
    assert chat.bot.locator("strong", has_text="nøje overvejelse").count() >= 1
    no_errors(chat)


def test_red_flag_is_visually_distinct(new_page: NewPage, stack: Any) -> None:
    chat = start(new_page, stack, 360, 740)
    chat.say("hej")
    chat.click_reply("Lænden med smerter ned i benet")
    chat.say("jeg kan ikke mærke når jeg tisser")
    emergency = chat.page.locator(".kc-msg--emergency")
    assert emergency.count() >= 1
    assert "112" in emergency.first.inner_text()
    assert emergency.first.locator(".kc-emergency-label").is_visible()
    style = "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.borderLeftWidth, s.borderLeftColor]; }"
    normal = chat.page.locator(".kc-msg--bot:not(.kc-msg--emergency)").first
    assert emergency.first.evaluate(style) != normal.evaluate(style)
    emergency.first.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chat.page.screenshot(path=str(SCREENSHOTS / "phone-emergency.png"))
    no_errors(chat)


def test_xss_attempt_is_shown_literally(new_page: NewPage, stack: Any) -> None:
    attack = "<img src=x onerror=alert(1)>"
    chat = start(new_page, stack)
    chat.say(attack)
    assert chat.user.last.locator(".kc-user-text").inner_text() == attack
    assert chat.bot.count() >= 1  # the bot answered something
    chat.page.wait_for_timeout(500)
    assert chat.dialogs == []
    assert chat.page.locator("img").count() == 0
    no_errors(chat)


def test_keyboard_only(new_page: NewPage, stack: Any) -> None:
    chat = new_page().goto(stack.web_url)
    keyboard_walk(chat)
    assert chat.user.last.inner_text().endswith("Nej")
    no_errors(chat)


def test_reload_keeps_conversation_and_start_over_clears(new_page: NewPage, stack: Any) -> None:
    chat = start(new_page, stack)
    chat.say("hej")
    sender = chat.sender()
    assert sender and len(sender) == 32
    log_before = chat.page.locator(".kc-log").inner_html()
    chat.reload()
    assert chat.page.locator(".kc-log").inner_html() == log_before
    assert chat.sender() == sender
    chat.click_reply("Nakken")  # the restored buttons continue the same conversation on the server
    url = f"{stack.rasa_url}/conversations/{sender}/tracker?token={stack.token}"
    with urllib.request.urlopen(url, timeout=30) as resp:
        events = json.loads(resp.read())["events"]
    user_texts = [e["text"] for e in events if e["event"] == "user"]
    assert user_texts == ["hej", "/describe_neck_pain"]

    chat.page.get_by_role("button", name="Start forfra").click()
    assert chat.bot.count() == 0 and chat.user.count() == 0
    assert chat.sender() != sender
    chat.reload()
    assert chat.bot.count() == 0
    no_errors(chat)


def test_phone_screenshot(new_page: NewPage, stack: Any) -> None:
    chat = start(new_page, stack, 360, 740)
    chat.say("hej")
    chat.click_reply("Nakken")
    chat.click_reply("Nej")
    assert chat.page.evaluate("() => document.documentElement.scrollWidth") <= 360
    chat.page.mouse.move(0, 0)  # no hover highlight on the last clicked spot
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chat.page.screenshot(path=str(SCREENSHOTS / "phone.png"))
    no_errors(chat)


def test_other_origins_are_refused_by_cors(new_page: NewPage, stack: Any) -> None:
    """Rasa only answers the clinic page's own origin: the same page on another port cannot chat."""
    port = free_port()
    web = make_server(port, stack.rasa_url)
    serve_in_thread(web)
    try:
        chat = new_page().goto(f"http://127.0.0.1:{port}")
        chat.open()
        chat.say("hej")
        assert "ikke få forbindelse" in chat.page.locator(".kc-msg--error").inner_text()
    finally:
        web.shutdown()
        web.server_close()

