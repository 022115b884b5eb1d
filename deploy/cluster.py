"""Scale-out recipe on one machine: PostgreSQL + Redis + N x (Rasa, action server) behind nginx.

`make run-cluster` (scripts/run_cluster.sh) runs `python -m deploy.cluster` in the foreground; the
benchmark and tests/test_cluster.py use `Cluster` directly. Everything listens on 127.0.0.1 and lives
in a temporary directory that is removed on exit (PostgreSQL and Redis from Debian's packages, run
as user-space instances; as root, PostgreSQL runs as the `postgres` user because it refuses root).

Topology:
    browser -> nginx :PORT  /webhooks/ -> rasa-1..N   (hash on X-Sender-Id / ?sender= / address)
                            /          -> clinic web page
    rasa-i  -> nginx :ACTION_PORT -> actions-1..N     (either action server serves any call)
    rasa-i  -> PostgreSQL (shared tracker store, TRACKER_DB_URL), Redis (lock store, LOCK_STORE_URL)
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot import settings
from bot.launcher import Stack, free_port, latest_model

log = logging.getLogger("cluster")
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
TEMPLATE = Path(__file__).with_name("nginx.conf.template")


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: drop to the `postgres` user when we are root."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _wait(check: object, what: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} during start")
        try:
            if check():  # type: ignore[operator]
                return
        except Exception as exc:  # noqa: BLE001 - keep polling until the deadline
            last = exc
        time.sleep(0.2)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s ({last})")


def _stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


def render_nginx(template: str, values: dict[str, str]) -> str:
    """Fill ${NAME} placeholders (nginx's own $variables are left alone)."""
    for key, value in values.items():
        template = template.replace("${" + key + "}", value)
    return template


@dataclass
class Cluster:
    """PostgreSQL, Redis, `instances` x (Rasa + action server) and nginx, on free loopback ports."""

    instances: int = 2
    port: int = 0
    web: bool = True
    model: Path | None = None
    token: str = ""
    workdir: Path | None = None
    nginx_workers: int = 1
    keep_workdir: bool = False
    stacks: list[Stack] = field(default_factory=list)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.port = self.port or free_port()
        self.action_proxy_port = free_port()
        self.pg_port = free_port()
        self.redis_port = free_port()
        self.model = self.model or latest_model()
        self.token = self.token or settings.RASA_AUTH_TOKEN or os.urandom(16).hex()
        self._own_workdir = self.workdir is None
        self.workdir = self.workdir or Path(tempfile.mkdtemp(prefix="bot-cluster-"))
        self.workdir.chmod(0o755)

    # ---------------------------------------------------------------- URLs
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_url(self) -> str:
        return f"postgresql://rasa@127.0.0.1:{self.pg_port}/rasa"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/1"

    @property
    def logs(self) -> Path:
        assert self.workdir is not None
        return self.workdir / "logs"

    # ---------------------------------------------------------------- infrastructure
    def _spawn(self, name: str, cmd: list[str], **kw: object) -> subprocess.Popen:
        self.logs.mkdir(parents=True, exist_ok=True)
        out = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kw)  # type: ignore[call-overload]
        self.procs[name] = proc
        return proc

    def start_postgres(self) -> None:
        assert self.workdir is not None
        data = self.workdir / "pg"
        data.mkdir()
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(data, pw.pw_uid, pw.pw_gid)
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "rasa", "-A", "trust",
                                     "-E", "UTF8", "--no-sync", "--locale=C"]),
                       check=True, capture_output=True, timeout=120)
        proc = self._spawn("postgres", _as_postgres([
            str(PG_BIN / "postgres"), "-D", str(data), "-p", str(self.pg_port), "-k", str(data),
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "shared_buffers=128MB",
        ]))

        def ready() -> bool:
            import psycopg2

            conn = psycopg2.connect(host="127.0.0.1", port=self.pg_port, user="rasa", dbname="postgres",
                                    connect_timeout=2)
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = 'rasa'")
                if not cur.fetchone():
                    cur.execute("CREATE DATABASE rasa")
            conn.close()
            return True

        _wait(ready, "PostgreSQL", 60, proc)

    def start_redis(self) -> None:
        assert self.workdir is not None
        proc = self._spawn("redis", [
            shutil.which("redis-server") or "redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", str(self.workdir), "--protected-mode", "yes",
        ])

        def ready() -> bool:
            import redis

            return bool(redis.Redis(host="127.0.0.1", port=self.redis_port, socket_timeout=1).ping())

        _wait(ready, "Redis", 30, proc)

    def start_nginx(self) -> None:
        assert self.workdir is not None
        prefix = self.workdir / "nginx"
        (prefix / "tmp").mkdir(parents=True, exist_ok=True)
        user = ""
        if os.geteuid() == 0:
            user = "user nobody nogroup;"
            for path in (prefix, prefix / "tmp"):
                path.chmod(0o755)
        conf = render_nginx(TEMPLATE.read_text(), {
            "USER_DIRECTIVE": user,
            "WORKERS": str(self.nginx_workers),
            "PREFIX": str(prefix),
            "ACCESS_LOG": f"{prefix}/access.log privacy",
            "LISTEN": f"127.0.0.1:{self.port}",
            "ACTION_LISTEN": f"127.0.0.1:{self.action_proxy_port}",
            "RASA_SERVERS": "\n".join(f"        server 127.0.0.1:{s.rasa_port} max_fails=1 fail_timeout=5s;"
                                      for s in self.stacks),
            "ACTION_SERVERS": "\n".join(f"        server 127.0.0.1:{s.action_port} max_fails=1 fail_timeout=5s;"
                                        for s in self.stacks),
            "WEB_SERVER": f"127.0.0.1:{self.stacks[0].web_port}",
        })
        (prefix / "nginx.conf").write_text(conf)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-t", "-q", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], check=True,
                       capture_output=True, timeout=30)
        proc = self._spawn("nginx", [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                                     "-g", "daemon off;"])

        def ready() -> bool:
            import urllib.request

            with urllib.request.urlopen(f"{self.url}/nginx-health", timeout=2) as resp:
                return resp.status == 200

        _wait(ready, "nginx", 20, proc)

    # ---------------------------------------------------------------- bot instances
    def _make_stacks(self) -> None:
        assert self.workdir is not None
        for i in range(self.instances):
            env = {
                "TRACKER_DB_URL": self.db_url,
                "LOCK_STORE_URL": self.redis_url,
                # Rasa reaches its actions through nginx (see endpoints.yml: ${ACTION_PORT}).
                "ACTION_PORT": str(self.action_proxy_port),
                "WEB_RASA_URL": self.url,
            }
            self.stacks.append(Stack(token=self.token, model=self.model, web=self.web and i == 0,
                                     extra_env=env, log_dir=self.logs / f"instance-{i + 1}"))

    def start(self, timeout: float = 300) -> Cluster:
        try:
            self.start_postgres()
            self.start_redis()
            self._make_stacks()
            for stack in self.stacks:  # start all, then wait: model loading overlaps
                stack.start_actions()
                stack.start_rasa()
                if stack.web:
                    stack.start_web()
            self.start_nginx()
            for stack in self.stacks:
                stack.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for stack in self.stacks:
            stack.stop()
        _stop(self.procs.pop("nginx", None), signal.SIGQUIT)
        _stop(self.procs.pop("redis", None))
        _stop(self.procs.pop("postgres", None), signal.SIGINT)  # fast shutdown
        for name in list(self.procs):
            _stop(self.procs.pop(name))
        if self._own_workdir and not self.keep_workdir and self.workdir and self.workdir.exists():
            shutil.rmtree(self.workdir, ignore_errors=True)

    def all_procs(self) -> dict[str, subprocess.Popen]:
        """Every server process by name (for supervision and RSS figures)."""
        result = dict(self.procs)
        for i, stack in enumerate(self.stacks, start=1):
            for name, proc in stack.procs.items():
                result[f"{name}-{i}"] = proc
        return result

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    """Foreground run for `make run-cluster`; Ctrl-C stops everything."""
    parser = argparse.ArgumentParser(description="Run the bot scaled out on this machine (loopback only).")
    parser.add_argument("--instances", type=int, default=int(os.environ.get("CLUSTER_INSTANCES", "2")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT", "8080")))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = False

    def _interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    def _handle(signum: int, _frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _interrupt)  # during start: unwind and clean up like Ctrl-C
    cluster = Cluster(instances=args.instances, port=args.port)
    try:
        log.info("starting PostgreSQL, Redis, %d x (Rasa + actions), nginx in %s", args.instances, cluster.workdir)
        cluster.start()
        signal.signal(signal.SIGINT, _handle)
        signal.signal(signal.SIGTERM, _handle)
        log.info("Chat page and webhook: %s  (Rasa API per instance: %s; logs: %s; Ctrl-C stops all)",
                 cluster.url, ", ".join(s.rasa_url for s in cluster.stacks), cluster.logs)
        while not stop:
            for name, proc in cluster.all_procs().items():
                if proc.poll() is not None:
                    log.error("%s stopped with code %s; stopping everything", name, proc.returncode)
                    stop = True
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
        log.info("stopped")

if __name__ == "__main__":
    main()
