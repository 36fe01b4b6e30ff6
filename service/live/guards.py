"""Checks shared by the room's actions: who may act, and in which state of the room."""

from __future__ import annotations

from service.domain.errors import Forbidden
from service.live.access import Member
from service.live.errors import RateLimited, RoomNotOpen
from service.rooms.store import RoomStore


def require_facilitator(member: Member) -> None:
    """Refuse anyone but a facilitator."""
    if not member.is_facilitator:
        raise Forbidden("Only a facilitator can do this.")


def require_open(store: RoomStore, member: Member) -> dict:
    """The room's snapshot, refused unless the room is open."""
    room = store.snapshot(member.session_id)
    if room is None or room["phase"] != "open":
        raise RoomNotOpen("The room is not open.")
    return room


def require_in_room(store: RoomStore, member: Member) -> dict:
    """The open room's snapshot, refused unless the member's seat has been admitted."""
    room = require_open(store, member)
    seat = room["seats"].get(member.seat_id)
    if seat is None or seat["where"] != "room":
        raise Forbidden("Only people in the room can do this.")
    return room


def require_allowed(store: RoomStore, member: Member, action: str, limit: tuple[int, float]) -> None:
    """Count one attempt at `action`; refused once `limit` = (attempts, seconds) is used up."""
    if not store.allow(member.session_id, member.seat_id, action, *limit):
        raise RateLimited("Slow down a little, please.")


def in_room_seats(room: dict) -> list[str]:
    """The seats admitted to the room: everyone a message to the room reaches."""
    return [seat_id for seat_id, seat in room["seats"].items() if seat["where"] == "room"]


# The store's rate limiter doubles as a once-per-session flag shared by every server process.
SERVER_SEAT = "server"


def claim_once(store: RoomStore, session_id: str, what: str, memory_seconds: float) -> bool:
    """Whether `what` is still to be done for this session; from now on (for a while) it is not."""
    return store.allow(session_id, SERVER_SEAT, what, 1, memory_seconds)
