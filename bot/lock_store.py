"""The Redis lock store several Rasa instances share: one conversation's messages are handled one at a time.

Why not Rasa's own RedisLockStore: it calls the synchronous redis client from the event loop (seven
round trips per message; 16 % of the event loop's time under cluster load in a py-spy profile), and
its read-modify-write of the ticket list is not atomic. An earlier asyncio port of it made the second
problem worse: two messages of one patient in the same process could interleave between reading and
writing the list and lose or resurrect a ticket. Here each ticket operation is one Lua script, which
Redis runs atomically: two round trips for an uncontended message, no lost updates across coroutines or
instances, and a waiter gives up (LockError) once the lock's lifetime has passed instead of waiting on.

The stored value is the same JSON as Rasa's TicketLock, so Rasa's synchronous methods still read it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore, TicketLock

# KEYS[1] lock key; ARGV[1] conversation id, ARGV[2] now (epoch s), ARGV[3] lifetime (s).
# Appends a ticket numbered after the last one; returns {number, 1 if it is served now else 0}.
_ISSUE = """
local now = tonumber(ARGV[2])
local tickets = {}
local raw = redis.call('GET', KEYS[1])
if raw then
  for _, t in ipairs(cjson.decode(raw)['tickets'] or {}) do
    local ticket = cjson.decode(t)
    if ticket['expires'] >= now then table.insert(tickets, ticket) end
  end
end
local number = 0
if #tickets > 0 then number = tickets[#tickets]['number'] + 1 end
table.insert(tickets, {number = number, expires = now + tonumber(ARGV[3])})
local encoded = {}
for i, ticket in ipairs(tickets) do encoded[i] = cjson.encode(ticket) end
redis.call('SET', KEYS[1], cjson.encode({conversation_id = ARGV[1], tickets = encoded}))
if tickets[1]['number'] == number then return {number, 1} end
return {number, 0}
"""

# KEYS[1] lock key; ARGV[1] ticket number, ARGV[2] now, ARGV[3] 1 to remove the ticket (release).
# Drops expired tickets (and the given one on release); deletes the key when no ticket is left.
# Returns 1 if the ticket is served now, 0 if it waits, -1 if it is gone (expired or released).
_UPDATE = """
local raw = redis.call('GET', KEYS[1])
if not raw then return -1 end
local lock = cjson.decode(raw)
local number, now, release = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1'
local kept, present = {}, false
for _, t in ipairs(lock['tickets'] or {}) do
  local ticket = cjson.decode(t)
  local mine = ticket['number'] == number
  if ticket['expires'] >= now and not (release and mine) then
    table.insert(kept, t)
    if mine then present = true end
  end
end
if #kept == 0 then
  redis.call('DEL', KEYS[1])
else
  lock['tickets'] = kept
  redis.call('SET', KEYS[1], cjson.encode(lock))
end
if not present then return -1 end
if cjson.decode(kept[1])['number'] == number then return 1 end
return 0
"""


class AsyncRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store with every ticket operation atomic in Redis and awaited, never blocking."""

    def __init__(self, url: str, socket_timeout: float = 5) -> None:
        """`url`: redis[s]://[user:password@]host:port/db (ValueError if malformed)."""
        import redis.asyncio
        from redis.connection import parse_url

        opts = parse_url(url)
        host, port = opts.get("host", "localhost"), int(opts.get("port", 6379))
        super().__init__(
            host=host, port=port, db=int(opts.get("db", 0)), username=opts.get("username"),
            password=opts.get("password"), use_ssl=url.startswith("rediss://"), socket_timeout=socket_timeout,
        )
        self.address = f"{host}:{port}"
        self.ared = redis.asyncio.Redis.from_url(
            url, socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout
        )
        self._issue = self.ared.register_script(_ISSUE)
        self._update = self.ared.register_script(_UPDATE)

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        key = self.key_prefix + conversation_id
        try:
            ticket, served = await self._issue(keys=[key], args=[conversation_id, time.time(), lock_lifetime])
        except Exception as exc:  # noqa: BLE001 - Rasa's own store reports every failure this way
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc
        try:
            if not served:
                await self._wait_for_turn(key, conversation_id, ticket, lock_lifetime, wait_time_in_seconds)
            yield self.create_lock(conversation_id)
        finally:
            await self._update(keys=[key], args=[ticket, time.time(), 1])

    async def _wait_for_turn(
        self, key: str, conversation_id: str, ticket: int, lifetime: float, poll_seconds: float
    ) -> None:
        """Poll until this ticket is first in line; the ones ahead expire after `lifetime` at the latest."""
        deadline = time.monotonic() + lifetime
        while time.monotonic() < deadline:
            await asyncio.sleep(poll_seconds)
            state = await self._update(keys=[key], args=[ticket, time.time(), 0])
            if state == 1:
                return
            if state == -1:
                break
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
