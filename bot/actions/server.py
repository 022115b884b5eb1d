"""Action server entry point: rasa_sdk's app for our actions (more routes are added here)."""

from __future__ import annotations

import argparse
import logging

from rasa_sdk.endpoint import create_app

from bot import settings


def build_app():  # type: ignore[no-untyped-def]
    """The rasa_sdk Sanic app serving the actions in `bot.actions`."""
    return create_app("bot.actions", cors_origins=None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=settings.ACTION_PORT)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    app = build_app()
    app.run("127.0.0.1", port=args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
