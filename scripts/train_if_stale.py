"""Train the Rasa model only when its inputs changed, so `make run` restarts in seconds.

Content (`content/`) is read at run time by the NLG and the red-flag classifier, so
editing messages or red-flag patterns never needs training.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
INPUTS = ["config.yml", "domain.yml", "requirements.lock", ".cache/spacy_da/meta.json"]
# bot/nlu holds a non-trainable component whose code is imported at run time: no retraining needed.
INPUT_DIRS = [("bot/data", "*.yml")]
log = logging.getLogger("train")


def fingerprint() -> str:
    """Hash of everything that changes the trained model."""
    digest = hashlib.sha256()
    files = [ROOT / f for f in INPUTS]
    for folder, pattern in INPUT_DIRS:
        files += sorted((ROOT / folder).rglob(pattern))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()


def learned_safety_net() -> None:
    """Train (or find in .cache) the learned red-flag safety net now, not on a patient's first message."""
    sys.path.insert(0, str(ROOT))
    from bot.safety import learned

    started = time.monotonic()
    learned.trained_model()
    log.info("Learned red-flag safety net ready in %.1f s.", time.monotonic() - started)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    learned_safety_net()
    stamp = MODELS / "fingerprint.txt"
    model = MODELS / "current.tar.gz"
    fp = fingerprint()
    if model.exists() and stamp.exists() and stamp.read_text().strip() == fp:
        log.info("Model is up to date (%s); not training.", model.relative_to(ROOT))
        return 0
    log.info("Training: data, config or domain changed since the last model.")
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="2")
    started = time.monotonic()
    cmd = [str(Path(sys.executable).with_name("rasa")), "train", "--config", "config.yml", "--domain",
           "domain.yml", "--data", "bot/data", "--out", "models", "--fixed-model-name", "current"]
    result = subprocess.run(cmd, cwd=ROOT, env=env)
    if result.returncode != 0:
        return result.returncode
    stamp.write_text(fp + "\n")
    log.info("Training took %.0f s.", time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
