"""The Redis lock store keeps one conversation's messages in order without blocking the event loop.

Runs a real redis-server from Debian's package on a free loopback port (skipped when it is missing).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from bot.stores import AsyncRedisLockStore, UrlLockStore


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (make system-deps)")
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path_factory.mktemp("redis"))],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis(host="127.0.0.1", port=port, socket_timeout=1).ping()
                break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_url_lock_store_is_the_async_redis_store(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCK_STORE_URL", redis_url)
    assert isinstance(UrlLockStore(), AsyncRedisLockStore)


def test_one_conversation_is_served_in_order_and_others_run_alongside(redis_url: str) -> None:
    """Two messages of one patient never overlap; another patient's message is not held up meanwhile."""
    store = AsyncRedisLockStore(url=redis_url, host="127.0.0.1", port=int(redis_url.rsplit(":", 1)[1].split("/")[0]))
    log: list[str] = []

    async def handle(sender: str, name: str, seconds: float) -> None:
        async with store.lock(sender, wait_time_in_seconds=0.05):
            log.append(f"start {name}")
            await asyncio.sleep(seconds)
            log.append(f"end {name}")

    async def main() -> None:
        first = asyncio.create_task(handle("patient-a", "a1", 0.3))
        await asyncio.sleep(0.05)
        await asyncio.gather(first, handle("patient-a", "a2", 0.01), handle("patient-b", "b1", 0.01))

    asyncio.run(main())
    assert log.index("end a1") < log.index("start a2")  # same conversation: strictly one after the other
    assert log.index("end b1") < log.index("end a1")  # another conversation did not wait for a1
    assert store.red.keys("lock:*") == []  # nothing left behind
