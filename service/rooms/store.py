"""The interface every live room store offers to the domain layer.

Each operation is one atomic read-change-write of a room through `_change`, so the rules
in `Room` are written once and hold the same way in memory and in Redis.
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

    # Rooms.

    def ensure_room(self, room_id: str) -> dict[str, Any]:
        """Create the room in the lobby phase if it does not exist; its snapshot."""
        return self._change(room_id, Room.to_dict, create=True)

    def snapshot(self, room_id: str) -> dict[str, Any] | None:
        """The full state as plain dicts for broadcasting, or None when there is no room."""
        room = self._load(room_id)
        return room.to_dict() if room else None

    def set_phase(self, room_id: str, phase: str) -> None:
        """Move the room to lobby, open or ended."""
        self._change(room_id, lambda room: room.set_phase(phase))

    def set_locked(self, room_id: str, locked: bool) -> None:
        """Lock or unlock admission."""
        self._change(room_id, lambda room: room.set_locked(locked))

    def set_floor_mode(self, room_id: str, floor_mode: str) -> None:
        """Choose facilitated or round-robin passing."""
        self._change(room_id, lambda room: room.set_floor_mode(floor_mode))

    def set_share_timer(self, room_id: str, seconds: int | None) -> None:
        """Set the per-share timer in seconds, or None for none."""
        self._change(room_id, lambda room: room.set_share_timer(seconds))

    def set_chat_paused(self, room_id: str, paused: bool) -> None:
        """Pause or resume the chat."""
        self._change(room_id, lambda room: room.set_chat_paused(paused))

    def set_muted(self, room_id: str, seat_id: str, muted: bool) -> None:
        """Mute or unmute one seat."""
        self._change(room_id, lambda room: room.set_muted(seat_id, muted))

    def set_participants_muted(self, room_id: str, muted: bool) -> list[str]:
        """Mute or unmute every participant; their seat ids."""
        return self._change(room_id, lambda room: room.set_participants_muted(muted))

    def start_breathing(self, room_id: str, seconds: int) -> float:
        """Begin a breathing pause now; when it started (Unix seconds)."""
        now = self.clock()
        self._change(room_id, lambda room: room.start_breathing(now, seconds))
        return now

    def stop_breathing(self, room_id: str) -> None:
        """End the breathing pause."""
        self._change(room_id, Room.stop_breathing)

    def set_ends_at(self, room_id: str, ends_at: str) -> None:
        """Note that the session now ends at `ends_at` (ISO 8601)."""
        self._change(room_id, lambda room: room.set_ends_at(ends_at))

    def note_chat(self, room_id: str, message_id: str, seat_id: str) -> None:
        """Remember a sent message's id and sender."""
        self._change(room_id, lambda room: room.note_chat(message_id, seat_id))

    def forget_chat(self, room_id: str, message_id: str) -> str:
        """Forget a recent message; its sender's seat id; NoSuchMessage if unknown."""
        return self._change(room_id, lambda room: room.forget_chat(message_id))

    def open_channel(self, room_id: str, facilitator_seat_id: str, participant_seat_id: str) -> bool:
        """Open a private channel between a facilitator and a participant; False if already open."""
        return self._change(room_id, lambda room: room.open_channel(facilitator_seat_id, participant_seat_id))

    # Seats.

    def add_seat(
        self, room_id: str, seat_id: str, display_name: str, role: str, mode: str, where: str = "lobby"
    ) -> None:
        """Give a new person a seat, by default in the lobby; SeatExists if taken."""
        self._change(room_id, lambda room: room.add_seat(seat_id, display_name, role, mode, where))

    def update_seat(
        self,
        room_id: str,
        seat_id: str,
        *,
        display_name: str | None = None,
        role: str | None = None,
        mode: str | None = None,
    ) -> None:
        """Change a seat's display name, role or mode; omitted fields stay."""
        self._change(room_id, lambda room: room.update_seat(seat_id, display_name, role, mode))

    def remove_seat(self, room_id: str, seat_id: str) -> None:
        """Take a seat away, with its hand, floor and private channels (a mute stays)."""
        self._change(room_id, lambda room: room.remove_seat(seat_id))

    def admit(self, room_id: str, seat_id: str) -> bool:
        """Move one seat from lobby to room; False if already in; RoomLocked if locked."""
        return self._change(room_id, lambda room: room.admit(seat_id))

    def admit_all(self, room_id: str) -> list[str]:
        """Move everyone in the lobby into the room; the seats admitted; RoomLocked if locked."""
        return self._change(room_id, Room.admit_all)

    # The talking piece.

    def raise_hand(self, room_id: str, seat_id: str) -> int:
        """Join the queue once (idempotent); the seat's 0-based position."""
        return self._change(room_id, lambda room: room.raise_hand(seat_id))

    def lower_hand(self, room_id: str, seat_id: str) -> bool:
        """Leave the queue; False if the hand was not raised."""
        return self._change(room_id, lambda room: room.lower_hand(seat_id))

    def lower_all_hands(self, room_id: str) -> list[str]:
        """Empty the queue; the seats whose hands were raised."""
        return self._change(room_id, Room.lower_all_hands)

    def pass_floor(self, room_id: str, expected: str | None, to: str | None = None) -> str | None:
        """Pass the floor to `to` or the next hand, only if `expected` holds it; the new holder."""
        now = self.clock()
        return self._change(room_id, lambda room: room.pass_floor(expected, to, now))

    def release_floor(self, room_id: str, seat_id: str) -> None:
        """The holder says "pass": the floor is free; NotFloorHolder otherwise."""
        self._change(room_id, lambda room: room.release_floor(seat_id))

    def set_response(self, room_id: str, seat_id: str, response: str) -> None:
        """The holder asks for "welcome_responses" or "just_listening"."""
        self._change(room_id, lambda room: room.set_response(seat_id, response))

    # Presence.

    def step_away(self, room_id: str, seat_id: str) -> None:
        """Mark a seat away; it keeps its place."""
        self._change(room_id, lambda room: room.set_away(seat_id, True))

    def step_back(self, room_id: str, seat_id: str) -> None:
        """Mark a seat present again."""
        self._change(room_id, lambda room: room.set_away(seat_id, False))

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
