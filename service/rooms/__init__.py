"""Live room state: one interface, kept in memory or in Redis."""

from __future__ import annotations

import redis

from service.rooms.memory import MemoryRoomStore
from service.rooms.redis_store import RedisRoomStore
from service.rooms.store import RoomStore


def store_from_url(redis_url: str | None, key_prefix: str = "hearth:") -> RoomStore:
    """A Redis store when a URL is given, else the in-memory one."""
    if not redis_url:
        return MemoryRoomStore()
    return RedisRoomStore(redis.Redis.from_url(redis_url), key_prefix=key_prefix)


__all__ = ["MemoryRoomStore", "RedisRoomStore", "RoomStore", "store_from_url"]
