"""The Redis lock store keeps one conversation's messages in order without blocking the event loop.

Runs a real redis-server from Debian's package on a free loopback port (skipped when it is missing).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Coroutine, Iterator
from typing import Any

import pytest
from rasa.core.lock_store import LockError

from bot.lock_store import AsyncRedisLockStore
from bot.stores import UrlLockStore

# A stuck event loop cannot be interrupted by the default signal timeout: stop the run with every
# thread's stack instead of hanging the whole CI job.
pytestmark = pytest.mark.timeout(120, method="thread")


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


def _store(redis_url: str) -> AsyncRedisLockStore:
    return AsyncRedisLockStore(redis_url)


def _run(coro: Coroutine[Any, Any, None]) -> None:
    """A hang here is a bug: fail after 30 s rather than hold up the whole run."""
    asyncio.run(asyncio.wait_for(coro, timeout=30))


def test_one_conversation_is_served_in_order_and_others_run_alongside(redis_url: str) -> None:
    """Two messages of one patient never overlap; another patient's message is not held up meanwhile."""
    store = _store(redis_url)
    log: list[str] = []

    async def handle(sender: str, name: str, seconds: float) -> None:
        async with store.lock(sender, wait_time_in_seconds=0.05):
            log.append(f"start {name}")
            await asyncio.sleep(seconds)
            log.append(f"end {name}")

    async def main() -> None:
        # a1 holds its lock for a full second, so a busy machine cannot make b1 look held up
        first = asyncio.create_task(handle("patient-a", "a1", 1.0))
        await asyncio.sleep(0.05)
        await asyncio.gather(first, handle("patient-a", "a2", 0.01), handle("patient-b", "b1", 0.01))

    _run(main())
    assert log.index("end a1") < log.index("start a2")  # same conversation: strictly one after the other
    assert log.index("end b1") < log.index("end a1")  # another conversation did not wait for a1
    assert store.red.keys("lock:*") == []  # nothing left behind


def test_many_messages_of_one_conversation_at_once_are_all_served_one_by_one(redis_url: str) -> None:
    """A patient tapping send repeatedly, via two instances at once: every message handled, never two together."""
    stores = [_store(redis_url), _store(redis_url)]  # two Rasa instances sharing one Redis
    inside: list[int] = []
    overlaps: list[int] = []
    served: list[int] = []

    async def handle(number: int) -> None:
        async with stores[number % 2].lock("patient-c", wait_time_in_seconds=0.01):
            inside.append(number)
            if len(inside) > 1:
                overlaps.append(number)
            await asyncio.sleep(0.005)
            served.append(number)
            inside.remove(number)

    async def main() -> None:
        await asyncio.gather(*(handle(n) for n in range(25)))

    _run(main())
    assert overlaps == []
    assert sorted(served) == list(range(25))
    assert stores[0].red.keys("lock:*") == []


def test_a_waiter_gives_up_once_the_lock_lifetime_has_passed(redis_url: str) -> None:
    """A conversation whose holder hangs does not keep the next message waiting for ever."""
    store = _store(redis_url)
    errors: list[str] = []

    async def holder() -> None:
        async with store.lock("patient-d", lock_lifetime=60, wait_time_in_seconds=0.05):
            await asyncio.sleep(1.5)

    async def waiter() -> None:
        await asyncio.sleep(0.05)
        try:
            async with store.lock("patient-d", lock_lifetime=0.5, wait_time_in_seconds=0.05):
                pass
        except LockError as exc:
            errors.append(str(exc))

    async def main() -> None:
        await asyncio.gather(holder(), waiter())

    _run(main())
    assert len(errors) == 1 and "patient-d" in errors[0]
    assert store.red.keys("lock:*") == []


def test_rasas_synchronous_reader_understands_the_stored_lock(redis_url: str) -> None:
    """The value is Rasa's TicketLock JSON, so Rasa's own methods (and its tooling) still work."""
    store = _store(redis_url)
    seen: list[bool] = []

    async def main() -> None:
        async with store.lock("patient-e", wait_time_in_seconds=0.05):
            lock = store.get_lock("patient-e")
            seen.append(lock is not None and lock.is_someone_waiting() and not lock.is_locked(0))

    _run(main())
    assert seen == [True]
    assert store.get_lock("patient-e") is None
