"""How much one seat may send: a budget per event, so that nobody can flood a room.

Every event that makes the server tell others has a budget per seat over a sliding window;
a person may keep a second tab open, not fifteen.
"""

from __future__ import annotations

from service.live.access import Member
from service.live.errors import RateLimited, Refused
from service.rooms.store import RoomStore

# (attempts, seconds). Generous for a person, far too few to drown everyone else's room.
EVENT_LIMIT = (30, 10.0)
# WebRTC sends bursts of ICE candidates when peers meet; 32 KB each at most (the schema's bound).
SIGNAL_LIMIT = (200, 10.0)
EVENT_LIMITS = {"rtc:signal": SIGNAL_LIMIT}
# Open connections of one seat in one process (tabs, a reconnect overlapping the old socket).
CONNECTIONS_PER_SEAT = 3
# New connections of one seat across every process, so closing and reopening cannot flood either.
CONNECT_LIMIT = (20, 60.0)


def count_event(store: RoomStore, member: Member, event: str) -> None:
    """Count one `event` from the member's seat; RateLimited once its budget is used up."""
    limit, window = EVENT_LIMITS.get(event, EVENT_LIMIT)
    key = member.seat_id or "organization"
    if not store.allow(member.session_id, key, f"event:{event}", limit, window):
        raise RateLimited("Slow down a little, please.")


def count_connection(store: RoomStore, member: Member, open_here: int) -> None:
    """Refuse a new connection of a seat that already holds enough of them, or opens too many."""
    if open_here >= CONNECTIONS_PER_SEAT:
        raise Refused("too_many_connections", "This join link is open in too many places at once.")
    if not store.allow(member.session_id, member.seat_id, "connect", *CONNECT_LIMIT):
        raise Refused("too_many_connections", "Too many connections in a short time; try again in a minute.")
