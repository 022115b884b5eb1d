"""Create `.env` from `.env.example` on first run, with a freshly generated RASA_AUTH_TOKEN."""

from __future__ import annotations

import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    env = ROOT / ".env"
    if not env.exists():
        env.write_text((ROOT / ".env.example").read_text())
    lines = env.read_text().splitlines()
    out, changed = [], False
    for line in lines:
        if line.strip() == "RASA_AUTH_TOKEN=":
            line = f"RASA_AUTH_TOKEN={secrets.token_urlsafe(32)}"
            changed = True
        out.append(line)
    if not any(line.startswith("RASA_AUTH_TOKEN=") for line in out):
        out.append(f"RASA_AUTH_TOKEN={secrets.token_urlsafe(32)}")
        changed = True
    if changed:
        env.write_text("\n".join(out) + "\n")
        env.chmod(0o600)
        print("Wrote a new RASA_AUTH_TOKEN to .env")


if __name__ == "__main__":
    main()
