"""Browser fixtures: Debian's chromium via Playwright, the clinic page with a fake Rasa, page factory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.launcher import free_port
from bot.webserver import make_server, serve_in_thread
from tests.browser.widget_support import CHROMIUM, CHROMIUM_ARGS, ChatPage, FakeRasa, FakeSite


# ------------------------------------------------------------------ browser
@pytest.fixture(scope="module")  # module: Playwright's sync loop must not outlive these tests
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (make system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., ChatPage]]:
    contexts: list[Any] = []

    def _new(width: int = 1280, height: int = 800) -> ChatPage:
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="da-DK",
                                  accept_downloads=True)
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        return ChatPage(ctx.new_page())

    yield _new
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def fake_site() -> Iterator[FakeSite]:
    """The real clinic page (bot.webserver) whose widget talks to a fake Rasa."""
    web_port = free_port()
    origins = [f"http://127.0.0.1:{web_port}", f"http://localhost:{web_port}"]
    rasa = FakeRasa(origins).start()
    web = make_server(web_port, rasa.url)
    serve_in_thread(web)
    yield FakeSite(f"http://127.0.0.1:{web_port}", rasa)
    web.shutdown()
    web.server_close()
    rasa.stop()
