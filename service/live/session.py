"""The room as a whole: connecting to it, opening, locking, admitting, and its end.

Every function checks, changes the store and the records, and commits; what the room is
told goes out after the commit (`service.live.notify`).
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime, timedelta

from service.domain import audit, sessions, unattended
from service.domain.modes import FACILITATOR_MODE
from service.extensions import db
from service.live import attendance, notify
from service.live.access import Member, session_context
from service.live.audit_trail import actor_of, note
from service.live.errors import SessionOver
from service.live.guards import claim_once, require_facilitator, require_open
from service.models import CircleSession
from service.rooms.errors import NoSuchRoom, NoSuchSeat, SeatExpired
from service.rooms.state import Room
from service.rooms.store import RoomStore

END_NOTICE = timedelta(minutes=2)
ENDING_WARNING = timedelta(minutes=5)
WARNING_MEMORY_SECONDS = 2 * ENDING_WARNING.total_seconds()


def current_state(store: RoomStore, session_id: str) -> dict | None:
    """The room's state with seats whose reconnect grace has passed taken away."""
    # Expiring on every read bounds how long a dropped seat shows as "reconnecting".
    try:
        store.expire_seats(session_id)
    except NoSuchRoom:
        return None
    return store.snapshot(session_id)


def _expired_and_state(room: Room, now: float) -> tuple[list[str], dict]:
    """Remove the seats whose grace has passed; their ids and the room's state after."""
    return room.expire_seats(now), room.to_dict()


def connect(store: RoomStore, member: Member, now: datetime) -> bool:
    """Seat a facilitator or give a returning participant their seat back; whether a seat is held."""
    # Seats whose grace has passed go now, so that the room is told only when something changed:
    # someone connecting without a seat yet changes nothing anyone else sees.
    expired, room = store.change(member.session_id, _expired_and_state, store.clock(), create=True)
    changed = bool(expired)
    # A room store that lost the flag (a restart of one in memory) learns it again from the record.
    if (
        room["phase"] == "lobby"
        and not room["unattended"]
        and unattended.is_unattended(db.session.get(CircleSession, uuid.UUID(member.session_id)))
    ):
        store.change(member.session_id, Room.set_unattended)
        changed = True
    seated = False
    if member.seat_id in room["seats"]:
        try:
            seat = store.reconnect(member.session_id, member.seat_id)
        except SeatExpired:
            store.change_now(member.session_id, Room.remove_seat, member.seat_id)
            changed = True
        else:
            attendance.joined(member, seat.mode, now)
            seated = True
    if not seated and member.is_facilitator:
        store.change(
            member.session_id,
            Room.add_seat,
            member.seat_id,
            member.facilitator_name or "",
            "facilitator",
            FACILITATOR_MODE,
            "room",
        )
        attendance.joined(member, FACILITATOR_MODE, now)
        seated = True
    if changed or seated:
        notify.room_changed(member)
    notify.commit()
    return seated


def disconnect(store: RoomStore, member: Member, grace_seconds: float, now: datetime) -> None:
    """Keep a dropped seat for the grace period; the attendance notes when it dropped."""
    try:
        store.disconnect(member.session_id, member.seat_id, grace_seconds)
    except NoSuchSeat:
        return
    attendance.left(member, now)
    notify.room_changed(member)
    notify.commit()


def open_room(store: RoomStore, member: Member, now: datetime) -> None:
    """A facilitator opens the room: the session is live."""
    require_facilitator(member)
    session = db.session.get(CircleSession, uuid.UUID(member.session_id))
    if session.status not in ("scheduled", "live"):
        raise SessionOver(f"This session is {session.status}.")
    with audit.recorded(member.session_id, actor_of(member), "room:open"):
        if session.status == "scheduled":
            sessions.start_session(member.organization_id, session.id, now)
        db.session.commit()
    store.change(member.session_id, Room.set_phase, "open")
    notify.room_changed(member)
    notify.commit()


def tell_unattended(store: RoomStore, session: CircleSession) -> None:
    """Everyone waiting for a session nobody has opened is told so, kindly (after the commit)."""
    session_id = str(session.id)
    store.ensure_room(session_id)
    store.change(session_id, Room.set_unattended)
    notify.room_changed(session_context(session))


def lock(store: RoomStore, member: Member, locked: bool) -> None:
    """A facilitator locks or unlocks admission."""
    require_facilitator(member)
    store.change(member.session_id, Room.set_locked, locked)
    notify.room_changed(member)
    note(member, "room:lock", detail={"locked": locked})


def admit(store: RoomStore, member: Member, seat_id: str) -> None:
    """A facilitator lets one waiting person in."""
    require_facilitator(member)
    require_open(store, member)
    notify.room_changed(member)
    if store.change(member.session_id, Room.admit, seat_id):
        note(member, "lobby:admit", seat_id)
    notify.commit()


def admit_all(store: RoomStore, member: Member) -> list[str]:
    """A facilitator lets everyone waiting in; their seat ids."""
    require_facilitator(member)
    require_open(store, member)
    admitted = store.change(member.session_id, Room.admit_all)
    notify.room_changed(member)
    note(member, "lobby:admit_all", detail={"count": len(admitted)})
    return admitted


# The end.


def _room_closed(store: RoomStore, session: CircleSession) -> None:
    """The room of a session that just closed: ended in the store; everyone is told after the commit."""
    session_id = str(session.id)
    # The session may have gone live without anyone in its room on this store.
    with contextlib.suppress(NoSuchRoom):
        store.change(session_id, Room.set_phase, "ended")
    notify.send(session_id, None, "room:ended", {"session_id": session_id})
    notify.room_changed(session_context(session))


def end(store: RoomStore, session: CircleSession, actor: audit.Actor | None, now: datetime) -> None:
    """End a live session at once, however asked: by a facilitator, the organization or the clock.

    Conflict unless live; `actor` None is the room's clock, which the audit log does not name.
    """
    recorded = audit.recorded(session.id, actor, "room:end") if actor else contextlib.nullcontext()
    with recorded:
        sessions.end_session(session.organization_id, session.id, now)
    _room_closed(store, session)
    notify.commit()


def cancel(
    store: RoomStore, session: CircleSession, actor: audit.Actor, reason: str, now: datetime
) -> CircleSession:
    """The organization cancels a session; a live one closes its room as an end does."""
    was_live = session.status == "live"
    with audit.recorded(session.id, actor, "room:cancel") if was_live else contextlib.nullcontext():
        sessions.cancel_session(session.organization_id, session.id, reason, now)
    if was_live:
        _room_closed(store, session)
        notify.commit()
    return session


def end_room(store: RoomStore, member: Member, now: datetime) -> None:
    """A facilitator ends the session now."""
    require_facilitator(member)
    require_open(store, member)
    end(store, db.session.get(CircleSession, uuid.UUID(member.session_id)), actor_of(member), now)


def claim_warning(store: RoomStore, session_id: str) -> bool:
    """Whether the ending warning for this session is still to be sent; from now on it is not."""
    return claim_once(store, session_id, "ending_warning", WARNING_MEMORY_SECONDS)


def warn_ending(session_id: str, ends_at: datetime) -> None:
    """Tell everyone of the session when it ends (after the commit)."""
    notify.send(session_id, None, "room:ending", {"session_id": session_id, "ends_at": ends_at.isoformat()})


def end_with_notice(store: RoomStore, member: Member, now: datetime) -> datetime:
    """A facilitator ends the session in two minutes; the new end, which the room's clock keeps."""
    require_facilitator(member)
    require_open(store, member)
    detail = {"notice_seconds": int(END_NOTICE.total_seconds())}
    with audit.recorded(member.session_id, actor_of(member), "room:end", detail=detail):
        session = sessions.bring_end_forward(
            member.organization_id, uuid.UUID(member.session_id), now + END_NOTICE
        )
    store.change(member.session_id, Room.set_ends_at, session.ends_at.isoformat())
    # This notice is the room's warning: the clock does not send another one.
    claim_warning(store, member.session_id)
    warn_ending(member.session_id, session.ends_at)
    notify.room_changed(member)
    notify.commit()
    return session.ends_at
