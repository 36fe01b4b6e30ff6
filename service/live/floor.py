"""The talking piece: hands, the floor, how it passes, the share timer and the holder's wish."""

from __future__ import annotations

import contextlib

from service.live import notify
from service.live.access import Member
from service.live.audit_trail import note
from service.live.guards import require_facilitator, require_open
from service.rooms.errors import FloorChanged
from service.rooms.state import Room
from service.rooms.store import RoomStore


def _changed(member: Member) -> None:
    notify.room_changed(member)
    notify.commit()


def raise_hand(store: RoomStore, member: Member) -> int:
    """Join the speaking queue; the 0-based position."""
    require_open(store, member)
    # The store checks the seat's mode within the change itself.
    position = store.change(member.session_id, Room.raise_hand, member.seat_id)
    _changed(member)
    return position


def lower_hand(store: RoomStore, member: Member, seat_id: str | None) -> None:
    """Leave the queue; a facilitator may lower anyone's hand."""
    if seat_id in (None, member.seat_id):
        store.change(member.session_id, Room.lower_hand, member.seat_id)
        _changed(member)
        return
    require_facilitator(member)
    store.change(member.session_id, Room.lower_hand, seat_id)
    notify.room_changed(member)
    note(member, "hand:lower", seat_id)


def lower_all_hands(store: RoomStore, member: Member) -> list[str]:
    """A facilitator lowers every raised hand; the seats whose hands were up."""
    require_facilitator(member)
    lowered = store.change(member.session_id, Room.lower_all_hands)
    notify.room_changed(member)
    note(member, "hand:lower_all", detail={"count": len(lowered)})
    return lowered


def pass_floor(store: RoomStore, member: Member, to: str | None) -> str | None:
    """A facilitator gives the floor to `to` or the next raised hand; the new holder."""
    require_facilitator(member)
    room = require_open(store, member)
    holder = store.pass_floor(member.session_id, room["floor"], to)
    notify.room_changed(member)
    note(member, "floor:pass", holder)
    return holder


def release_floor(store: RoomStore, member: Member) -> None:
    """The holder says "pass": a round goes on; in round-robin the next raised hand takes the floor."""
    store.change_now(member.session_id, Room.release_floor, member.seat_id)
    room = store.snapshot(member.session_id)
    if room["round_kind"] is None and room["floor_mode"] == "round_robin" and room["hands"]:
        # Expecting a free floor: a facilitator who passed it meanwhile wins.
        with contextlib.suppress(FloorChanged):
            store.pass_floor(member.session_id, None)
    _changed(member)


def set_floor_mode(store: RoomStore, member: Member, floor_mode: str) -> None:
    """A facilitator chooses facilitated or round-robin passing."""
    require_facilitator(member)
    store.change(member.session_id, Room.set_floor_mode, floor_mode)
    notify.room_changed(member)
    note(member, "floor:mode", detail={"mode": floor_mode})


def set_share_timer(store: RoomStore, member: Member, seconds: int | None) -> None:
    """A facilitator sets the gentle per-share timer, or turns it off."""
    require_facilitator(member)
    store.change(member.session_id, Room.set_share_timer, seconds)
    notify.room_changed(member)
    note(member, "floor:timer", detail={"seconds": seconds})


def set_response(store: RoomStore, member: Member, preference: str) -> None:
    """The holder welcomes responses or asks for just listening."""
    store.change(member.session_id, Room.set_response, member.seat_id, preference)
    _changed(member)
