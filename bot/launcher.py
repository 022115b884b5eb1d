"""Start the action server, the Rasa server and the clinic web page together.

`make run` uses it in the foreground (Ctrl-C stops all); tests, the preview and the
benchmark use `Stack` to get the same processes on free ports.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot import settings

log = logging.getLogger("launcher")
PY = sys.executable
RASA = str(Path(PY).with_name("rasa"))


def free_port() -> int:
    """Ask the OS for a free loopback port (tests run several stacks side by side)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def latest_model(models_dir: Path | None = None) -> Path:
    """The model `scripts/train_if_stale.py` last produced."""
    models_dir = models_dir or settings.ROOT / "models"
    current = models_dir / "current.tar.gz"
    if current.exists():
        return current
    candidates = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not candidates:
        raise FileNotFoundError("No trained model in models/ - run `make train` first.")
    return candidates[-1]


def spacy_pipeline_in_use() -> str:
    """Which Danish spaCy pipeline Rasa loads (logged at start, as the design asks)."""
    meta = settings.CACHE_DIR / "spacy_da" / "meta.json"
    if not meta.exists():
        return "missing (run make spacy)"
    return json.loads(meta.read_text()).get("description", "unknown")


@dataclass
class Stack:
    """The three processes of one bot instance, on the given (or free) ports."""

    rasa_port: int = 0
    action_port: int = 0
    web_port: int = 0
    token: str = ""
    model: Path | None = None
    web: bool = True
    extra_env: dict[str, str] = field(default_factory=dict)
    log_dir: Path | None = None
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rasa_port = self.rasa_port or free_port()
        self.action_port = self.action_port or free_port()
        self.web_port = self.web_port or free_port()
        self.token = self.token or settings.RASA_AUTH_TOKEN or os.urandom(16).hex()
        self.model = self.model or latest_model()

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            RASA_PORT=str(self.rasa_port),
            ACTION_PORT=str(self.action_port),
            WEB_PORT=str(self.web_port),
            RASA_AUTH_TOKEN=self.token,
            RASA_TELEMETRY_ENABLED="false",
            PYTHONPATH=str(settings.ROOT),
            TF_CPP_MIN_LOG_LEVEL="2",
        )
        env.setdefault("TRACKER_DB_URL", settings.tracker_db_url())
        # One TensorFlow thread per op: DIET classifies one short message at a time, and per-op
        # thread pools only fight the other processes for the cores (docs/performance.md).
        env.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
        env.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
        env.update(self.extra_env)
        return env

    def _spawn(self, name: str, cmd: list[str]) -> None:
        out = None
        if self.log_dir:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        self.procs[name] = subprocess.Popen(
            cmd, cwd=settings.ROOT, env=self.env(), stdout=out, stderr=subprocess.STDOUT if out else None,
            start_new_session=True,
        )

    def start_actions(self) -> None:
        self._spawn("actions", [PY, "-m", "bot.actions.server", "--port", str(self.action_port)])

    def start_rasa(self) -> None:
        origins = [f"http://127.0.0.1:{self.web_port}", f"http://localhost:{self.web_port}"]
        cmd = [
            RASA, "run", "--enable-api", "--auth-token", self.token,
            "--port", str(self.rasa_port), "--interface", "127.0.0.1",
            "--model", str(self.model), "--endpoints", "endpoints.yml",
            "--credentials", "credentials.yml", "--cors", *origins,
        ]
        self._spawn("rasa", cmd)

    def start_web(self) -> None:
        self._spawn("web", [PY, "-m", "bot.webserver", "--port", str(self.web_port)])

    def start(self, timeout: float = 180) -> Stack:
        log.info("spaCy pipeline in use: %s", spacy_pipeline_in_use())
        try:
            self.start_actions()
            self.start_rasa()
            if self.web:
                self.start_web()
            self.wait_ready(timeout)
        except BaseException:
            self.stop()  # never leave half a stack running
            raise
        return self

    def wait_ready(self, timeout: float = 180) -> None:
        """Block until Rasa has loaded the model and the other servers answer."""
        checks = {
            "actions": f"{self.action_url}/health",
            "rasa": f"{self.rasa_url}/status?token={self.token}",
        }
        if self.web:
            checks["web"] = f"{self.web_url}/"
        deadline = time.monotonic() + timeout
        pending = dict(checks)
        while pending:
            for name, url in list(pending.items()):
                proc = self.procs.get(name)
                if proc and proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {proc.returncode} during start")
                with contextlib.suppress(OSError):
                    with urllib.request.urlopen(url, timeout=2) as resp:
                        body = resp.read()
                    if name != "rasa" or json.loads(body).get("model_file"):
                        pending.pop(name)
            if time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout}s: {sorted(pending)}")
            time.sleep(0.5)

    def stop_process(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)

    def stop(self) -> None:
        for name in list(self.procs):
            self.stop_process(name)

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def running(**kwargs: object) -> Iterator[Stack]:
    """`with running() as stack:` for scripts that need a live bot."""
    stack = Stack(**kwargs)  # type: ignore[arg-type]
    try:
        yield stack.start()
    finally:
        stack.stop()


def main() -> None:
    """Foreground run for `make run`: ports and token from the environment / .env."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stack = Stack(settings.RASA_PORT, settings.ACTION_PORT, settings.WEB_PORT, settings.RASA_AUTH_TOKEN)
    stop = False

    def _handle(signum: int, _frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, _handle)
    signal.signal(signal.SIGTERM, _handle)
    try:
        stack.start()
        log.info("Chat page: %s  Rasa: %s  Actions: %s  (Ctrl-C stops all)", stack.web_url, stack.rasa_url,
                 stack.action_url)
        while not stop:
            for name, proc in stack.procs.items():
                if proc.poll() is not None:
                    log.error("%s stopped with code %s; stopping everything", name, proc.returncode)
                    stop = True
            time.sleep(0.5)
    finally:
        stack.stop()
        log.info("stopped")


if __name__ == "__main__":
    main()
