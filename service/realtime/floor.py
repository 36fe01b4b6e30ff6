"""Socket.IO adapters of `service.live.floor`: hands, the floor, the share timer."""

from __future__ import annotations

from typing import Any

from service.live import floor
from service.live.access import Member
from service.live.runtime import room_store
from service.realtime import schemas
from service.realtime.adapter import Events

events = Events()


@events.on("hand:raise")
def on_raise(member: Member) -> dict[str, Any]:
    """Raise a hand."""
    return {"position": floor.raise_hand(room_store(), member)}


@events.on("hand:lower", schemas.LowerHandSchema)
def on_lower(member: Member, seat_id: str | None = None) -> None:
    """Lower a hand."""
    floor.lower_hand(room_store(), member, seat_id)


@events.on("hand:lower_all")
def on_lower_all(member: Member) -> None:
    """Lower every raised hand."""
    floor.lower_all_hands(room_store(), member)


@events.on("floor:pass", schemas.PassFloorSchema)
def on_pass(member: Member, to: str | None = None) -> dict[str, Any]:
    """Pass the floor."""
    return {"floor": floor.pass_floor(room_store(), member, to)}


@events.on("floor:release")
def on_release(member: Member) -> None:
    """Give the floor back ("pass")."""
    floor.release_floor(room_store(), member)


@events.on("floor:mode", schemas.FloorModeSchema)
def on_floor_mode(member: Member, mode: str) -> None:
    """Choose facilitated or round-robin passing."""
    floor.set_floor_mode(room_store(), member, mode)


@events.on("floor:timer", schemas.ShareTimerSchema)
def on_share_timer(member: Member, seconds: int | None) -> None:
    """Set or clear the per-share timer."""
    floor.set_share_timer(room_store(), member, seconds)


@events.on("floor:response", schemas.ResponseSchema)
def on_response(member: Member, preference: str) -> None:
    """Say how the floor holder would like people to respond."""
    floor.set_response(room_store(), member, preference)
