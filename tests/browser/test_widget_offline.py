"""The chat widget against a fake Rasa REST server: errors, retry, rendering, storage, layout.

These need no trained model; "server unreachable" can only be tested this way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.launcher import free_port
from bot.webserver import make_server, serve_in_thread
from tests.browser.widget_support import (
    SCREENSHOTS,
    ChatPage,
    FakeRasa,
    FakeSite,
    keyboard_walk,
)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

NewPage = Callable[..., ChatPage]

INJECTION = "\n".join([
    "Hej <img src=x onerror=alert(1)> og <script>alert(2)</script> **fed** *kursiv* _også kursiv_",
    "Se [x](javascript:alert(1)) og [y](JaVaScRiPt:alert(3)) og [z](data:text/html,<b>hi</b>)",
    "og [usikker](http://example.org) og [sikker](https://example.org/side) og [mail](mailto:a@b.dk)"
    " og [ring](tel:+4570000000) og <a href=\"https://evil.example\">rå html</a>",
    "",
    "- punkt **et**",
    "- punkt <b>to</b>",
    "",
    "1. første",
    "2. anden",
    "",
    "snake_case_ord og 2 * 3 * 4 og \\*ikke kursiv\\*",
])


def test_reply_buttons_and_payloads(new_page: NewPage, fake_site: FakeSite) -> None:
    fake_site.rasa.replies["hej"] = [{"text": "Hej! Hvor gør det ondt?", "buttons": [
        {"title": "Nakken", "payload": "/describe_neck_pain"},
        {"title": "Lænden med smerter ned i benet", "payload": "/describe_leg_pain"},
    ]}]
    fake_site.rasa.replies["/describe_neck_pain"] = [{"text": "Tak. Det forstår jeg godt."}]
    chat = new_page().goto(fake_site.web_url)
    chat.open()
    chat.say("hej")
    assert chat.bot_texts() == ["Hej! Hvor gør det ondt?"]
    chat.click_reply("Nakken")
    # the payload is sent, the title is shown as the patient's bubble, old quick replies are retired
    assert fake_site.rasa.received[-1]["message"] == "/describe_neck_pain"
    assert chat.user.all_inner_texts()[-1].endswith("Nakken")
    assert chat.page.locator(".kc-quick-group").count() == 0
    sender = fake_site.rasa.received[0]["sender"]
    assert len(sender) == 32 and int(sender, 16) >= 0
    assert all(m["sender"] == sender for m in fake_site.rasa.received)
    assert not chat.page_errors and not chat.csp_violations()


def test_server_unreachable_then_retry(new_page: NewPage) -> None:
    """Nothing listens on the Rasa port: a clear Danish message; 'Prøv igen' resends once it is back."""
    web_port, rasa_port = free_port(), free_port()
    web = make_server(web_port, f"http://127.0.0.1:{rasa_port}")
    serve_in_thread(web)
    rasa = FakeRasa([f"http://127.0.0.1:{web_port}"], port=rasa_port)
    try:
        chat = new_page().goto(f"http://127.0.0.1:{web_port}")
        chat.open()
        chat.say("hej")
        note = chat.page.locator(".kc-msg--error")
        assert note.count() == 1
        assert "ikke få forbindelse" in note.inner_text()
        assert "112" in note.inner_text()  # the safety net is always there
        assert chat.page.locator(".kc-typing").is_hidden()

        rasa.start()
        chat.page.get_by_role("button", name="Prøv igen").click()
        chat.wait_idle()
        assert chat.page.locator(".kc-msg--error").count() == 0
        assert chat.bot_texts() == ["Du skrev: hej"]
        assert chat.user.count() == 1  # the retry does not duplicate the patient's bubble
        assert [m["message"] for m in rasa.received] == ["hej"]
    finally:
        web.shutdown()
        web.server_close()
        rasa.stop()


@pytest.mark.parametrize(("status", "expected"), [(500, "fejl hos os"), (429, "mange beskeder")])
def test_server_error_then_retry(new_page: NewPage, fake_site: FakeSite, status: int, expected: str) -> None:
    fake_site.rasa.status = status
    chat = new_page().goto(fake_site.web_url)
    chat.open()
    chat.say("jeg har ondt")
    assert expected in chat.page.locator(".kc-msg--error").inner_text()
    fake_site.rasa.status = 200
    chat.page.get_by_role("button", name="Prøv igen").click()
    chat.wait_idle()
    assert chat.bot_texts() == ["Du skrev: jeg har ondt"]
    first, second = fake_site.rasa.received
    assert first == second  # same message, same sender


def test_refusal_with_bot_message(new_page: NewPage, fake_site: FakeSite) -> None:
    """The channel answers 429 with its own bot message: show it and offer to resend."""
    fake_site.rasa.status = 429
    fake_site.rasa.error_body = [{"recipient_id": "x", "text": "Du skriver hurtigere, end jeg kan følge med."}]
    chat = new_page().goto(fake_site.web_url)
    chat.open()
    chat.say("hej")
    assert chat.bot_texts() == ["Du skriver hurtigere, end jeg kan følge med."]
    assert chat.page.locator(".kc-msg--error").count() == 0
    fake_site.rasa.status = 200
    chat.page.get_by_role("button", name="Prøv igen").click()
    chat.wait_idle()
    assert chat.bot_texts()[-1] == "Du skrev: hej"
    assert chat.page.get_by_role("button", name="Prøv igen").count() == 0
    # the sender travels in the body and in X-Sender-Id (for sticky load balancing)
    assert fake_site.rasa.headers[-1]["X-Sender-Id"] == fake_site.rasa.received[-1]["sender"]


def test_typing_indicator_while_waiting(new_page: NewPage, fake_site: FakeSite) -> None:
    fake_site.rasa.delay = 1.5
    chat = new_page().goto(fake_site.web_url)
    chat.open()
    chat.page.locator("#kc-input").fill("hej")
    chat.page.locator("#kc-input").press("Enter")
    typing = chat.page.locator(".kc-typing")
    typing.wait_for(state="visible")
    assert "Svar på vej" in typing.inner_text()
    # a second message while waiting is not sent; the patient is told why
    chat.page.locator("#kc-input").fill("mere")
    chat.page.locator("#kc-input").press("Enter")
    assert "Vent et øjeblik" in chat.page.locator("#kc-hint").inner_text()
    assert chat.page.locator("#kc-input").input_value() == "mere"
    chat.wait_idle()
    assert typing.is_hidden()
    assert [m["message"] for m in fake_site.rasa.received] == ["hej"]


def test_xss_user_text_is_literal(new_page: NewPage, fake_site: FakeSite) -> None:
    attack = "<img src=x onerror=alert(1)>"
    chat = new_page().goto(fake_site.web_url)
    chat.open()
    chat.say(attack)
    assert chat.user.last.locator(".kc-user-text").inner_text() == attack
    assert chat.bot_texts() == ["Du skrev: " + attack]
    assert chat.page.locator("img").count() == 0
    chat.page.wait_for_timeout(300)
    assert chat.dialogs == []


def test_bot_markdown_injection_is_inert(new_page: NewPage, fake_site: FakeSite) -> None:
    fake_site.rasa.replies["vis"] = [{"text": INJECTION}]
    chat = new_page().goto(fake_site.web_url)
    chat.open()
    chat.say("vis")
    msg = chat.page.locator(".kc-msg--bot .kc-md").last
    chat.page.wait_for_timeout(300)
    assert chat.dialogs == []
    assert chat.page.locator(".kc-root img, .kc-root script, .kc-root b, .kc-root iframe").count() == 0
    text = msg.inner_text()
    for literal in ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "[x](javascript:alert(1))",
                    "[y](JaVaScRiPt:alert(3))", "<a href=\"https://evil.example\">rå html</a>", "<b>to</b>",
                    "snake_case_ord", "2 * 3 * 4", "*ikke kursiv*"]:
        assert literal in text, literal
    links = msg.locator("a").evaluate_all(
        "els => els.map(a => [a.textContent, a.getAttribute('href'), a.target, a.rel])")
    assert [(t.split(" (")[0], h, tg, r) for t, h, tg, r in links] == [
        ("sikker", "https://example.org/side", "_blank", "noopener noreferrer"),
        ("mail", "mailto:a@b.dk", "_blank", "noopener noreferrer"),
        ("ring", "tel:+4570000000", "_blank", "noopener noreferrer"),
    ]
    assert "[usikker](http://example.org)" in text  # plain http is shown as text, not linked
    assert msg.locator("strong").all_inner_texts() == ["fed", "et"]
    assert msg.locator("em").all_inner_texts() == ["kursiv", "også kursiv"]
    assert msg.locator("ul > li").count() == 2 and msg.locator("ol > li").count() == 2
    # only allow-listed elements were created
    tags = set(msg.evaluate("el => [...el.querySelectorAll('*')].map(e => e.tagName.toLowerCase())"))
    assert tags <= {"p", "br", "strong", "em", "ul", "ol", "li", "a", "span"}, tags
    assert not chat.page_errors and not chat.csp_violations()


def test_emergency_marking(new_page: NewPage, fake_site: FakeSite) -> None:
    fake_site.rasa.replies["a"] = [
        {"text": "Ring 112 nu. Det du beskriver, skal undersøges med det samme."},
        {"text": "Vent ikke på, at det går over."},
        {"text": "Har du feber?", "buttons": [{"title": "Nej", "payload": "/deny"}]},
    ]
    fake_site.rasa.replies["b"] = [
        {"text": "Kontakt lægevagten i dag."},
        {"custom": {"urgency": "emergency"}},
    ]
    fake_site.rasa.replies["c"] = [{"text": "Det lyder ikke akut. Ved livstruende symptomer: ring 112."}]
    chat = new_page().goto(fake_site.web_url)
    chat.open()
    chat.say("a")
    chat.say("b")
    chat.say("c")
    flags = chat.bot.evaluate_all("els => els.map(e => e.classList.contains('kc-msg--emergency'))")
    assert flags == [True, True, False, True, False]
    # visually distinct: own background and a thick red border, with a visible label on the first one
    emergency = chat.page.locator(".kc-msg--emergency").first
    normal = chat.bot.last
    style = "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.borderLeftWidth]; }"
    assert emergency.evaluate(style) != normal.evaluate(style)
    assert "vigtigt" in emergency.locator(".kc-emergency-label").inner_text().lower()


def test_summary_download(new_page: NewPage, fake_site: FakeSite, tmp_path) -> None:  # type: ignore[no-untyped-def]
    summary = "# Din opsummering\n\n- Nakkesmerter\n- Ingen faresignaler\n\nÆblegrød og ørred – åh."
    fake_site.rasa.replies["opsummering"] = [
        {"text": "Her er en skriftlig opsummering."},
        {"custom": {"summary_markdown": summary, "filename": "../../min opsummering.md"}},
    ]
    chat = new_page().goto(fake_site.web_url)
    chat.open()
    chat.say("opsummering")
    with chat.page.expect_download() as info:
        chat.page.get_by_role("button", name="Hent som fil").click()
    download = info.value
    assert download.suggested_filename.endswith("min opsummering.md")
    assert "/" not in download.suggested_filename
    path = tmp_path / "summary.md"
    download.save_as(path)
    assert path.read_text(encoding="utf-8") == summary
    chat.page.get_by_text("Vis opsummeringen").click()
    assert "Ingen faresignaler" in chat.page.locator(".kc-summary").inner_text()


def test_input_limits(new_page: NewPage, fake_site: FakeSite) -> None:
    chat = new_page().goto(fake_site.web_url)
    chat.open()
    box = chat.page.locator("#kc-input")
    box.press("Enter")
    box.fill("   ")
    box.press("Enter")
    chat.page.get_by_role("button", name="Send").click()
    assert fake_site.rasa.received == []
    assert "Skriv en besked først" in chat.page.locator("#kc-hint").inner_text()
    box.fill("")
    box.focus()
    chat.page.keyboard.insert_text("x" * 1200)  # like a paste
    assert len(box.input_value()) == 1000
    assert "1000 tegn" in chat.page.locator("#kc-hint").inner_text()
    box.press("Enter")
    chat.wait_idle()
    assert len(fake_site.rasa.received[0]["message"]) == 1000


def test_reload_keeps_history_and_restart_clears(new_page: NewPage, fake_site: FakeSite) -> None:
    fake_site.rasa.replies["hej"] = [{"text": "Hej! **Velkommen**", "buttons": [
        {"title": "Nakken", "payload": "/describe_neck_pain"}]}]
    chat = new_page().goto(fake_site.web_url)
    chat.open()
    chat.say("hej")
    sender = chat.sender()
    html_before = chat.page.locator(".kc-log").inner_html()
    chat.reload()
    assert chat.page.locator(".kc-panel").is_visible()  # stays open
    assert chat.page.locator(".kc-log").inner_html() == html_before
    assert chat.sender() == sender
    chat.click_reply("Nakken")  # restored buttons still work
    assert fake_site.rasa.received[-1] == {"sender": sender, "message": "/describe_neck_pain"}

    chat.page.get_by_role("button", name="Start forfra").click()
    assert chat.bot.count() == 0 and chat.user.count() == 0
    assert chat.sender() != sender
    assert chat.page.evaluate("() => sessionStorage.getItem('klinikchat.history')") == "[]"
    chat.page.get_by_role("button", name="Start samtalen").click()
    chat.wait_idle()
    assert fake_site.rasa.received[-1] == {"sender": chat.sender(), "message": "hej"}


def test_reload_while_waiting_offers_retry(new_page: NewPage, fake_site: FakeSite) -> None:
    fake_site.rasa.delay = 2
    chat = new_page().goto(fake_site.web_url)
    chat.open()
    chat.page.locator("#kc-input").fill("hej")
    chat.page.locator("#kc-input").press("Enter")
    chat.page.locator(".kc-typing").wait_for(state="visible")
    chat.reload()
    assert "nåede ikke frem" in chat.page.locator(".kc-msg--error").inner_text()
    fake_site.rasa.delay = 0
    chat.page.get_by_role("button", name="Prøv igen").click()
    chat.wait_idle()
    assert chat.bot_texts()[-1] == "Du skrev: hej"


def test_keyboard_only(new_page: NewPage, fake_site: FakeSite) -> None:
    fake_site.rasa.replies["hej"] = [{"text": "Hvor gør det ondt?", "buttons": [
        {"title": "Nakken", "payload": "/describe_neck_pain"},
        {"title": "Lænden med smerter ned i benet", "payload": "/describe_leg_pain"}]}]
    fake_site.rasa.replies["/describe_neck_pain"] = [{"text": "Har du feber?", "buttons": [
        {"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"}]}]
    chat = new_page().goto(fake_site.web_url)
    page = chat.page
    keyboard_walk(chat)
    assert [m["message"] for m in fake_site.rasa.received] == ["hej", "/describe_neck_pain", "/deny"]
    # Escape closes the chat and gives focus back to the launcher
    page.locator("#kc-input").focus()
    page.keyboard.press("Escape")
    assert page.locator(".kc-panel").is_hidden()
    assert page.evaluate("() => document.activeElement.classList.contains('kc-launcher')")


@pytest.mark.parametrize(("width", "height"), [(320, 640), (640, 400), (360, 740)])
def test_small_screens_and_zoom(new_page: NewPage, fake_site: FakeSite, width: int, height: int) -> None:
    """320 px wide (WCAG reflow) and 640x400 = a 1280x800 screen at 200 % zoom."""
    fake_site.rasa.replies["hej"] = [
        {"text": "Hej! Jeg kan svare på spørgsmål om **nye nakkesmerter** og **iskias**."},
        {"text": "Hvor gør det ondt?", "buttons": [
            {"title": "Nakken", "payload": "/describe_neck_pain"},
            {"title": "Lænden med smerter ned i benet", "payload": "/describe_leg_pain"}]},
    ]
    chat = new_page(width, height).goto(fake_site.web_url)
    chat.open()
    chat.say("hej")
    page = chat.page
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    for sel in ["#kc-input", ".kc-send", ".kc-restart", ".kc-close"]:
        box = page.locator(sel).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, sel
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, sel
    for el in page.locator(".kc-msg").all():
        box = el.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"offline-{width}x{height}.png"))


# Text contrast of every visible text element in the widget (WCAG 1.4.3).
CONTRAST_JS = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")


def test_text_contrast(new_page: NewPage, fake_site: FakeSite) -> None:
    fake_site.rasa.replies["hej"] = [
        {"text": "Ring 112 nu. Se [sundhed.dk](https://www.sundhed.dk).", "buttons": [
            {"title": "Ja", "payload": "/affirm"}]},
        {"custom": {"summary_markdown": "x", "filename": "a.md"}},
    ]
    chat = new_page().goto(fake_site.web_url)
    chat.open()
    chat.page.locator("#kc-input").fill("x" * 900)
    chat.page.locator("#kc-input").fill("")
    chat.say("hej")
    fake_site.rasa.status = 500
    chat.say("igen")
    results = chat.page.evaluate(CONTRAST_JS)
    assert len(results) > 10
    low = [r for r in results if r["ratio"] < 4.5]
    assert not low, low


RENDER_JS = """src => { const d = document.createElement('div');
                        d.appendChild(window.KlinikChat.renderMarkdown(src)); return d.innerHTML; }"""
ATTRS_JS = """src => { const d = document.createElement('div');
                       d.appendChild(window.KlinikChat.renderMarkdown(src));
                       return [...d.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)); }"""
NEW_TAB = '<span class="kc-sr"> (åbner i et nyt vindue)</span>'


@pytest.mark.parametrize(("source", "html"), [
    ("**fed** og *kursiv* og _kursiv_", "<p><strong>fed</strong> og <em>kursiv</em> og <em>kursiv</em></p>"),
    ("linje et\nlinje to", "<p>linje et<br>linje to</p>"),
    ("- a\n- b", '<ul class="kc-md-list"><li>a</li><li>b</li></ul>'),
    ("3. c\n4. d", '<ol class="kc-md-list" start="3"><li>c</li><li>d</li></ol>'),
    ("# Titel", '<p class="kc-md-heading"><strong>Titel</strong></p>'),
    ("<b>x</b> & <i>", "<p>&lt;b&gt;x&lt;/b&gt; &amp; &lt;i&gt;</p>"),
    ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ("[x](vbscript:msgbox)", "<p>[x](vbscript:msgbox)</p>"),
    ("[x](/relativ)", "<p>[x](/relativ)</p>"),
    ("snake_case_ord 2*3*4", "<p>snake_case_ord 2<em>3</em>4</p>"),
    ("[**a**](https://a.dk)",
     '<p><a class="kc-link" href="https://a.dk/" target="_blank" rel="noopener noreferrer">'
     f"<strong>a</strong>{NEW_TAB}</a></p>"),
    ('[x](https://a.dk"onmouseover=alert)', None),
])
def test_markdown_renderer(new_page: NewPage, fake_site: FakeSite, source: str, html: str | None) -> None:
    chat = new_page().goto(fake_site.web_url)
    out = chat.page.evaluate(RENDER_JS, source)
    if html is None:  # whatever the URL parser makes of it, no attribute can be injected
        attrs = chat.page.evaluate(ATTRS_JS, source)
        assert set(attrs) <= {"class", "href", "target", "rel"}, attrs
    else:
        assert out == html


def test_accessibility_basics(new_page: NewPage, fake_site: FakeSite) -> None:
    chat = new_page().goto(fake_site.web_url)
    page = chat.page
    assert page.evaluate("() => document.documentElement.lang") == "da"
    launcher = page.locator(".kc-launcher")
    assert launcher.get_attribute("aria-expanded") == "false"
    chat.open()
    assert page.locator(".kc-panel").get_attribute("aria-labelledby") == "kc-title"
    log = page.get_by_role("log")
    assert log.get_attribute("aria-live") == "polite"
    assert page.get_by_label("Skriv din besked").evaluate("e => e.id") == "kc-input"
    assert page.get_by_role("button", name="Luk chatten").count() == 1
    chat.say("hej")
    # every interactive control in the widget is a real <button>, <textarea>, <a> or <summary>
    tags = set(page.evaluate("""() => [...document.querySelectorAll('.kc-root *')]
        .filter(e => e.tabIndex >= 0 && e.getClientRects().length).map(e => e.tagName.toLowerCase())"""))
    assert tags <= {"button", "textarea", "a", "summary", "div"}, tags  # div = the scrollable log
