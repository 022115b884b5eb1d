"""Configuration from the environment and an optional `.env` file (one place, so every process agrees)."""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
load_dotenv(ROOT / ".env", override=False)
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", ROOT / "content"))
GUIDELINES_DIR = Path(os.environ.get("GUIDELINES_DIR", ROOT.parent / "shared" / "guidelines"))
CACHE_DIR = ROOT / ".cache"


def env_int(name: str, default: int) -> int:
    """Read an integer setting; a malformed value is a configuration error worth failing on."""
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


RASA_PORT = env_int("RASA_PORT", 5005)
ACTION_PORT = env_int("ACTION_PORT", 5055)
WEB_PORT = env_int("WEB_PORT", 8000)
RASA_AUTH_TOKEN = os.environ.get("RASA_AUTH_TOKEN", "")
RETENTION_DAYS = env_int("RETENTION_DAYS", 30)


def tracker_db_url() -> str:
    """SQLite by default; PostgreSQL when TRACKER_DB_URL says so."""
    url = os.environ.get("TRACKER_DB_URL", "").strip()
    return url or f"sqlite:///{CACHE_DIR / 'tracker.db'}"
