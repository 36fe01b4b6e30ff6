"""Live room state in Redis, so several server processes serve one room consistently."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import redis

from service.rooms.errors import NoSuchMessage, NoSuchRoom
from service.rooms.state import Room
from service.rooms.store import RECENT_CHAT_KEPT, ROOM_TTL_SECONDS, Clock, RoomStore, T

# Sliding window in one round trip: trim attempts older than the window, count, record if allowed.
ALLOW_SCRIPT = """
local key, member = KEYS[1], ARGV[4]
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  return 0
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, math.ceil(window * 1000))
return 1
"""

# Find a recent message by id among "<message id> <seat id>" entries, drop it, answer its sender.
FORGET_CHAT_SCRIPT = """
local prefix = ARGV[1] .. ' '
for _, entry in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  if string.sub(entry, 1, #prefix) == prefix then
    redis.call('LREM', KEYS[1], 1, entry)
    return string.sub(entry, #prefix + 1)
  end
end
return false
"""


class RedisRoomStore(RoomStore):
    """Each room is one JSON value changed under WATCH/MULTI, so concurrent writers retry, never clobber."""

    def __init__(
        self, redis_client: redis.Redis, key_prefix: str = "hearth:", clock: Clock | None = None
    ) -> None:
        super().__init__(clock)
        self.redis = redis_client
        self.key_prefix = key_prefix
        self._allow = redis_client.register_script(ALLOW_SCRIPT)
        self._forget_chat = redis_client.register_script(FORGET_CHAT_SCRIPT)

    def room_key(self, room_id: str) -> str:
        """Where a room's state lives."""
        return f"{self.key_prefix}room:{room_id}"

    def chat_key(self, room_id: str) -> str:
        """Where a room's recent chat ids and senders live, oldest first."""
        return f"{self.key_prefix}chat:{room_id}"

    def rate_key(self, room_id: str, seat_id: str, action: str) -> str:
        """Where one seat's recent attempts at one action are counted."""
        return f"{self.key_prefix}rate:{room_id}:{seat_id}:{action}"

    def _load(self, room_id: str) -> Room | None:
        raw = self.redis.get(self.room_key(room_id))
        return Room.from_dict(json.loads(raw)) if raw else None

    def snapshot(self, room_id: str) -> dict | None:
        # Stored in its `to_dict` form already: no need to build a room to take it apart again.
        raw = self.redis.get(self.room_key(room_id))
        return json.loads(raw) if raw else None

    def _change(self, room_id: str, change: Callable[[Room], T], *, create: bool = False) -> T:
        key = self.room_key(room_id)

        def attempt(pipe: redis.client.Pipeline) -> T:
            # After WATCH the pipeline runs commands at once; a write by anyone else before EXEC
            # aborts it with WatchError and redis-py runs this again on fresh state.
            raw = pipe.get(key)
            if raw is None and not create:
                raise NoSuchRoom(f"no live room {room_id!r}")
            data = json.loads(raw) if raw else None
            # `from_dict` copies what a change mutates, so `data` stays as loaded to compare with.
            room = Room.from_dict(data) if data else Room(id=room_id)
            result = change(room)
            after = room.to_dict()
            # Most calls on the broadcast path (expiring seats) change nothing: no write then.
            if after != data:
                pipe.multi()
                pipe.set(key, json.dumps(after), ex=ROOM_TTL_SECONDS)
            return result

        return self.redis.transaction(attempt, key, value_from_callable=True)

    def delete_room(self, room_id: str) -> None:
        # Rate counts are left to expire on their own within their short window.
        self.redis.delete(self.room_key(room_id), self.chat_key(room_id))

    def allow(self, room_id: str, seat_id: str, action: str, limit: int, window_seconds: float) -> bool:
        key = self.rate_key(room_id, seat_id, action)
        now = self.clock()
        # A unique member, so two attempts in the same instant are both counted.
        member = f"{now}:{uuid.uuid4().hex}"
        return bool(self._allow(keys=[key], args=[now, window_seconds, limit, member]))

    def note_chat(self, room_id: str, message_id: str, seat_id: str) -> None:
        key = self.chat_key(room_id)
        # One round trip, applied as one: append, keep the last ones, expire with the room.
        pipe = self.redis.pipeline()
        pipe.rpush(key, f"{message_id} {seat_id}")
        pipe.ltrim(key, -RECENT_CHAT_KEPT, -1)
        pipe.expire(key, ROOM_TTL_SECONDS)
        pipe.execute()

    def forget_chat(self, room_id: str, message_id: str) -> str:
        sender = self._forget_chat(keys=[self.chat_key(room_id)], args=[message_id])
        if sender is None:
            raise NoSuchMessage("no recent message with this id")
        return sender.decode() if isinstance(sender, bytes) else sender
