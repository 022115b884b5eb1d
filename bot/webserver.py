"""Serve the demo clinic page and the chat widget from `web/` on WEB_PORT.

The widget learns where the Rasa REST channel is from `/config.js`, generated here so
the page works on whatever ports `make run` or a test picked. Set WEB_RASA_URL to override
the Rasa URL the browser uses (e.g. `/` when a reverse proxy serves both on one origin).
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from bot import settings

WEB_DIR = settings.ROOT / "web"
log = logging.getLogger("webserver")
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


def content_security_policy(rasa_url: str) -> str:
    """Defence in depth for the demo page: only our own scripts/styles, fetch only to Rasa."""
    connect = ["'self'"]
    parts = urlsplit(rasa_url)
    if parts.scheme in ("http", "https") and parts.netloc:
        connect.append(f"{parts.scheme}://{parts.netloc}")
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        f"connect-src {' '.join(connect)}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ])


class Handler(SimpleHTTPRequestHandler):
    """Static files plus the runtime config; no directory listings, no caching of config."""

    rasa_url = ""
    server_version = "clinic-web"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        if self.path.split("?")[0] == "/config.js":
            body = ("window.CHAT_CONFIG = " + json.dumps({"rasaUrl": self.rasa_url}) + ";\n").encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/javascript; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def guess_type(self, path):  # type: ignore[no-untyped-def]
        ctype = super().guess_type(path)
        if ctype == "text/javascript":
            ctype = "application/javascript"
        if ctype.startswith(TEXT_TYPES) and "charset" not in ctype:
            ctype += "; charset=utf-8"
        return ctype

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", content_security_policy(self.rasa_url))
        if self.path.split("?")[0] != "/config.js":
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def list_directory(self, path):  # type: ignore[no-untyped-def]
        self.send_error(404)
        return None

    def log_message(self, fmt: str, *args: object) -> None:
        log.debug(fmt, *args)


def make_server(port: int, rasa_url: str, web_dir: Path = WEB_DIR, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A ready-to-serve web server (tests run it in a thread with `serve_in_thread`)."""
    handler_cls = type("BoundHandler", (Handler,), {"rasa_url": rasa_url})
    handler = functools.partial(handler_cls, directory=str(web_dir))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="webserver", daemon=True)
    thread.start()
    return thread


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=settings.WEB_PORT)
    parser.add_argument("--rasa-url",
                        default=os.environ.get("WEB_RASA_URL") or f"http://127.0.0.1:{settings.RASA_PORT}")
    args = parser.parse_args()
    server = make_server(args.port, args.rasa_url)
    logging.basicConfig(level=logging.INFO)
    log.info("web page on http://127.0.0.1:%s (chat talks to %s)", args.port, args.rasa_url or "same origin")
    server.serve_forever()


if __name__ == "__main__":
    main()
