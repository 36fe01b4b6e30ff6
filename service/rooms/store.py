"""The interface every live room store offers to the domain layer.

`change` applies one `Room` method (or any function of a room) as one atomic
read-change-write, so the rules in `Room` are written once and hold the same way in memory
and in Redis. The few operations that need the store's clock have their own method.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeVar

from service.rooms.state import Room, Seat

T = TypeVar("T")
Clock = Callable[[], float]

# Live state outlives any session by far, yet never lingers for long after one.
ROOM_TTL_SECONDS = 24 * 60 * 60
# Only ids and senders, never text: enough to check a deletion, for about an hour of busy chat.
RECENT_CHAT_KEPT = 200


class RoomStore(ABC):
    """Live state of rooms, keyed by session id; every method is atomic per room."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or time.time

    @abstractmethod
    def _load(self, room_id: str) -> Room | None:
        """The room as stored, or None."""

    @abstractmethod
    def _change(self, room_id: str, change: Callable[[Room], T], *, create: bool = False) -> T:
        """Apply `change` to the room atomically and save it; NoSuchRoom unless `create`."""

    @abstractmethod
    def delete_room(self, room_id: str) -> None:
        """Forget a room's live state."""

    @abstractmethod
    def allow(self, room_id: str, seat_id: str, action: str, limit: int, window_seconds: float) -> bool:
        """Count one attempt; False once the seat made `limit` attempts in the sliding window."""

    # Recent chat, kept beside the room so that a chat line never rewrites the room's state.

    @abstractmethod
    def note_chat(self, room_id: str, message_id: str, seat_id: str) -> None:
        """Remember that a message was sent, and by whom (never what it said); the last RECENT_CHAT_KEPT."""

    @abstractmethod
    def forget_chat(self, room_id: str, message_id: str) -> str:
        """Forget a recent message so it can be deleted; its sender's seat id, or NoSuchMessage."""

    # Rooms.

    def change(
        self, room_id: str, change: Callable[..., T], *args: Any, create: bool = False, **kwargs: Any
    ) -> T:
        """Apply `change(room, *args, **kwargs)` atomically: `store.change(id, Room.set_locked, True)`.

        NoSuchRoom unless the room exists or `create`; a change that raises saves nothing.
        """
        return self._change(room_id, lambda room: change(room, *args, **kwargs), create=create)

    def change_now(self, room_id: str, change: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Apply a change that reads the time: `change(room, *args, now=<the store's clock>)`."""
        now = self.clock()
        return self._change(room_id, lambda room: change(room, *args, now=now, **kwargs))

    def ensure_room(self, room_id: str) -> dict[str, Any]:
        """Create the room in the lobby phase if it does not exist; its snapshot."""
        return self._change(room_id, Room.to_dict, create=True)

    def snapshot(self, room_id: str) -> dict[str, Any] | None:
        """The full state as plain dicts for reading (never to change), or None when there is no room."""
        room = self._load(room_id)
        return room.to_dict() if room else None

    # Changes that read the clock.

    def start_breathing(self, room_id: str, seconds: int) -> float:
        """Begin a breathing pause now; when it started (Unix seconds)."""
        now = self.clock()
        self._change(room_id, lambda room: room.start_breathing(now, seconds))
        return now

    def pass_floor(self, room_id: str, expected: str | None, to: str | None = None) -> str | None:
        """Pass the floor to `to` or the next hand, only if `expected` holds it; the new holder."""
        now = self.clock()
        return self._change(room_id, lambda room: room.pass_floor(expected, to, now))

    def disconnect(self, room_id: str, seat_id: str, grace_seconds: float) -> float:
        """Mark a seat dropped, kept for `grace_seconds`; the reconnect deadline."""
        deadline = self.clock() + grace_seconds
        self._change(room_id, lambda room: room.disconnect(seat_id, deadline))
        return deadline

    def reconnect(self, room_id: str, seat_id: str) -> Seat:
        """Reclaim the same seat (mode, hand, name) before the deadline; SeatExpired after."""
        now = self.clock()
        return self._change(room_id, lambda room: room.reconnect(seat_id, now))

    def expire_seats(self, room_id: str) -> list[str]:
        """Remove dropped seats whose deadline has passed; their ids."""
        now = self.clock()
        return self._change(room_id, lambda room: room.expire_seats(now))
