"""Live room state in this process: the embedded default when there is no Redis."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from service.rooms.errors import NoSuchMessage, NoSuchRoom
from service.rooms.state import Room
from service.rooms.store import RECENT_CHAT_KEPT, ROOM_TTL_SECONDS, Clock, RoomStore, T


class MemoryRoomStore(RoomStore):
    """Rooms in a dict behind one lock; serves a single server process."""

    def __init__(self, clock: Clock | None = None) -> None:
        super().__init__(clock)
        self._lock = threading.Lock()
        # Rooms are kept in their dict form so a failed change never touches what is stored.
        self._rooms: dict[str, tuple[dict[str, Any], float]] = {}
        self._attempts: dict[str, dict[tuple[str, str], deque[float]]] = {}
        self._chats: dict[str, deque[tuple[str, str]]] = {}

    def _load(self, room_id: str) -> Room | None:
        with self._lock:
            data = self._stored(room_id)
        return Room.from_dict(data) if data else None

    def snapshot(self, room_id: str) -> dict[str, Any] | None:
        # The stored dict itself: a change replaces it whole and never alters it, and readers only read.
        with self._lock:
            return self._stored(room_id)

    def _change(self, room_id: str, change: Callable[[Room], T], *, create: bool = False) -> T:
        with self._lock:
            data = self._stored(room_id)
            if data is None and not create:
                raise NoSuchRoom(f"no live room {room_id!r}")
            if data is None:
                # Creating a room is rare, so it is when rooms nobody asks about any more are swept.
                self._sweep()
            # `from_dict` copies what a change mutates, so `data` stays as stored if it raises.
            room = Room.from_dict(data) if data else Room(id=room_id)
            result = change(room)
            after = room.to_dict()
            # Like the Redis store, a change that changes nothing is not a write.
            if after != data:
                self._rooms[room_id] = (after, self.clock() + ROOM_TTL_SECONDS)
            return result

    def _stored(self, room_id: str) -> dict[str, Any] | None:
        """The stored dict, dropping it (and its rate counts) once it has expired; caller holds the lock."""
        data, expires_at = self._rooms.get(room_id, (None, 0.0))
        if data is not None and self.clock() >= expires_at:
            self._forget(room_id)
            return None
        return data

    def _sweep(self) -> None:
        """Drop expired rooms, and the rate counts and chat of rooms that are gone; caller holds the lock."""
        for room_id in list(self._rooms):
            self._stored(room_id)
        for kept in (self._attempts, self._chats):
            for room_id in list(kept):
                if room_id not in self._rooms:
                    del kept[room_id]

    def _forget(self, room_id: str) -> None:
        """Drop a room, its rate counts and its recent chat; caller holds the lock."""
        self._rooms.pop(room_id, None)
        self._attempts.pop(room_id, None)
        self._chats.pop(room_id, None)

    def delete_room(self, room_id: str) -> None:
        with self._lock:
            self._forget(room_id)

    def allow(self, room_id: str, seat_id: str, action: str, limit: int, window_seconds: float) -> bool:
        now = self.clock()
        with self._lock:
            attempts = self._attempts.setdefault(room_id, {}).setdefault((seat_id, action), deque())
            while attempts and attempts[0] <= now - window_seconds:
                attempts.popleft()
            if len(attempts) >= limit:
                return False
            attempts.append(now)
            return True

    def note_chat(self, room_id: str, message_id: str, seat_id: str) -> None:
        with self._lock:
            self._chats.setdefault(room_id, deque(maxlen=RECENT_CHAT_KEPT)).append((message_id, seat_id))

    def forget_chat(self, room_id: str, message_id: str) -> str:
        with self._lock:
            recent = self._chats.get(room_id, ())
            for entry in recent:
                if entry[0] == message_id:
                    recent.remove(entry)
                    return entry[1]
        raise NoSuchMessage("no recent message with this id")
