"""Serve the demo clinic page and the chat widget from `web/` on WEB_PORT.

The widget learns where the Rasa REST channel is from `/config.js`, generated here so
the page works on whatever ports `make run` or a test picked.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from bot import settings

WEB_DIR = settings.ROOT / "web"
log = logging.getLogger("webserver")


class Handler(SimpleHTTPRequestHandler):
    """Static files plus the runtime config; no directory listings, no caching of config."""

    rasa_url = ""

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

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def list_directory(self, path):  # type: ignore[no-untyped-def]
        self.send_error(404)
        return None

    def log_message(self, fmt: str, *args: object) -> None:
        log.debug(fmt, *args)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=settings.WEB_PORT)
    parser.add_argument("--rasa-url", default=f"http://127.0.0.1:{settings.RASA_PORT}")
    args = parser.parse_args()
    handler = functools.partial(Handler, directory=str(WEB_DIR))
    Handler.rasa_url = args.rasa_url
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    logging.basicConfig(level=logging.INFO)
    log.info("web page on http://127.0.0.1:%s", args.port)
    server.serve_forever()


if __name__ == "__main__":
    main()
