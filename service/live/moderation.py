"""A facilitator's tools for holding the room's norms: mutes, norm reminders, breathing pauses.

Removing and barring are in `service.live.seats`, ending in `service.live.session`. Every
action here is noted in the audit log once the room store accepted it.
"""

from __future__ import annotations

from collections.abc import Callable

from service.domain.errors import Invalid
from service.live import notify
from service.live.access import Member
from service.live.audit_trail import note
from service.live.guards import claim_once, in_room_seats, require_facilitator, require_open
from service.live.views import breathing
from service.rooms.errors import NoSuchRoom, NoSuchSeat
from service.rooms.state import Room
from service.rooms.store import RoomStore

BREATH_SECONDS = (30, 300)
# How long the store remembers that a pause's end was announced: longer than any pause.
BREATH_END_MEMORY_SECONDS = 2 * BREATH_SECONDS[1]


def set_muted(store: RoomStore, member: Member, seat_id: str, muted: bool) -> None:
    """A facilitator mutes or unmutes one seat."""
    require_facilitator(member)
    store.change(member.session_id, Room.set_muted, seat_id, muted)
    notify.room_changed(member)
    note(member, "seat:mute", seat_id, {"muted": muted})


def mute_all(store: RoomStore, member: Member, muted: bool) -> list[str]:
    """A facilitator mutes or unmutes every participant (facilitators are untouched); their seats."""
    require_facilitator(member)
    seats = store.change(member.session_id, Room.set_participants_muted, muted)
    notify.room_changed(member)
    note(member, "seat:mute_all", detail={"muted": muted})
    return seats


def remind_norm(store: RoomStore, member: Member, norm: int, seat_id: str | None) -> str:
    """A facilitator reminds the room, or one seat privately, of a norm of the agreement; its text."""
    require_facilitator(member)
    if not 0 <= norm < len(member.norms):
        raise Invalid(
            f"The group's agreement has {len(member.norms)} norms.", fields={"norm": ["No such norm."]}
        )
    room = require_open(store, member)
    if seat_id is None:
        audience = in_room_seats(room)
    elif seat_id in room["seats"]:
        audience = [seat_id]
    else:
        raise NoSuchSeat("That seat is not in this session.")
    text = member.norms[norm]
    notify.send(member.session_id, audience, "norm:reminder", {"norm": text, "private": seat_id is not None})
    note(member, "norm:remind", seat_id, {"norm": norm})
    return text


def start_breathing(store: RoomStore, member: Member, seconds: int) -> float:
    """A facilitator starts a breathing pause of `BREATH_SECONDS` (the schema's bounds); when it started.

    Every microphone is held until it is over; the room clock shows the room again then.
    """
    require_facilitator(member)
    require_open(store, member)
    started = store.start_breathing(member.session_id, seconds)
    notify.room_changed(member)
    note(member, "breath:start", detail={"seconds": seconds})
    return started


def stop_breathing(store: RoomStore, member: Member) -> None:
    """A facilitator ends the breathing pause early."""
    require_facilitator(member)
    store.change(member.session_id, Room.stop_breathing)
    notify.room_changed(member)
    note(member, "breath:stop")


def breath_over(store: RoomStore, session_id: str, context: Callable[[], Member], now: float) -> bool:
    """Show the room again once its breathing pause is over, once across processes; whether it did.

    The clock asks every live room each second, so the session's `context` (its group, from the
    database) is read only for a room whose pause has just ended.
    """
    room = store.snapshot(session_id)
    started = room["breathing_started_at"] if room else None
    if started is None or breathing(room, now) is not None:
        return False
    try:
        store.change(session_id, Room.stop_breathing)
    except NoSuchRoom:
        return False
    if not claim_once(store, session_id, f"breath_end:{started}", BREATH_END_MEMORY_SECONDS):
        return False
    notify.room_changed(context())
    notify.commit()
    return True
