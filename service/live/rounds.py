"""Rounds: the floor goes around the circle once, each person sharing or passing in one action."""

from __future__ import annotations

import contextlib

from service.live import notify
from service.live.access import Member
from service.live.audit_trail import note
from service.live.guards import require_facilitator, require_open
from service.rooms.errors import NotYourTurn
from service.rooms.state import Room
from service.rooms.store import RoomStore


def start(store: RoomStore, member: Member, kind: str) -> str | None:
    """A facilitator starts a check-in or check-out round; whose turn it is first (None: nobody here)."""
    require_facilitator(member)
    require_open(store, member)
    first = store.change_now(member.session_id, Room.start_round, kind)
    notify.room_changed(member)
    note(member, "round:start", detail={"kind": kind})
    return first


def pass_turn(store: RoomStore, member: Member) -> str | None:
    """The person whose turn it is passes; whose turn is next (None: the round is over)."""
    require_open(store, member)
    following = store.change_now(member.session_id, Room.end_turn, member.seat_id, shared=False)
    notify.room_changed(member)
    notify.commit()
    return following


def after_line(store: RoomStore, member: Member, room: dict) -> None:
    """A listener whose turn it was in `room` (the chat's snapshot) wrote a line: their turn is taken."""
    if room["round_turn"] != member.seat_id or room["floor"] == member.seat_id:
        return
    # The turn may have moved on since the snapshot (a skip, a stop): the line is sent all the same.
    with contextlib.suppress(NotYourTurn):
        store.change_now(member.session_id, Room.end_turn, member.seat_id, shared=True)
        notify.room_changed(member)


def skip(store: RoomStore, member: Member) -> str | None:
    """A facilitator moves the round on past whoever's turn it is; whose turn is next."""
    require_facilitator(member)
    room = require_open(store, member)
    following = store.change_now(member.session_id, Room.end_turn, room["round_turn"], shared=False)
    notify.room_changed(member)
    note(member, "round:skip", room["round_turn"])
    return following


def stop(store: RoomStore, member: Member) -> None:
    """A facilitator ends the round before it has gone all the way around."""
    require_facilitator(member)
    require_open(store, member)
    store.change_now(member.session_id, Room.stop_round)
    notify.room_changed(member)
    note(member, "round:stop")


def set_queue_order(store: RoomStore, member: Member, order: str) -> None:
    """A facilitator orders the queue by raised hands or least spoken first."""
    require_facilitator(member)
    store.change(member.session_id, Room.set_queue_order, order)
    notify.room_changed(member)
    note(member, "queue:order", detail={"order": order})
