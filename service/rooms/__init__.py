"""Live room state: one interface, kept in memory or in Redis."""

from __future__ import annotations

from service.redis_pool import DEFAULT_MAX_CONNECTIONS, DEFAULT_POOL_TIMEOUT_SECONDS, blocking_client
from service.rooms.memory import MemoryRoomStore
from service.rooms.redis_store import RedisRoomStore
from service.rooms.store import RoomStore


def store_from_url(
    redis_url: str | None,
    key_prefix: str = "hearth:",
    *,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    pool_timeout: float = DEFAULT_POOL_TIMEOUT_SECONDS,
) -> RoomStore:
    """A Redis store on a blocking pool when a URL is given, else the in-memory one."""
    if not redis_url:
        return MemoryRoomStore()
    return RedisRoomStore(blocking_client(redis_url, max_connections, pool_timeout), key_prefix=key_prefix)


__all__ = ["MemoryRoomStore", "RedisRoomStore", "RoomStore", "store_from_url"]
