"""One person's seat: agreeing and taking part, stepping away, leaving, and being taken out.

Taking a person out of a live room has one implementation, whichever door asks for it: a
facilitator's remove or bar, the organization's remove or bar, the organization removing
the registration, issuing a new join link or erasing the person.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from service.domain import audit, people, registrations
from service.domain.errors import Conflict, Forbidden, Invalid
from service.domain.modes import is_louder
from service.extensions import db
from service.live import attendance, notify
from service.live.access import (
    Member,
    invalid_link,
    registration_of_seat,
    require_still_welcome,
    seat_id_of_registration,
    session_context,
    was_removed,
)
from service.live.audit_trail import actor_of
from service.live.guards import require_facilitator
from service.models import CircleSession, Erasure, Registration, SessionRemoval
from service.rooms.errors import NoSuchRoom, NoSuchSeat
from service.rooms.state import Room
from service.rooms.store import RoomStore


def agree(store: RoomStore, member: Member, display_name: str, mode: str, now: datetime) -> None:
    """A participant accepts the agreement and takes a seat in the lobby."""
    if member.is_facilitator:
        raise Forbidden("Facilitators are seated when they connect.")
    if mode not in member.allowed_modes:
        raise Invalid(
            f"This group allows {', '.join(member.allowed_modes)}.", fields={"mode": ["Not allowed."]}
        )
    # The acceptance is written only while the link still admits them: one statement, no check first.
    if not attendance.agreed(member, mode, now):
        require_still_welcome(member)  # says why
        raise invalid_link()
    store.ensure_room(member.session_id)
    store.change(member.session_id, Room.add_seat, member.seat_id, display_name, "participant", mode)
    # A seat in the lobby changes only the person's own view and the facilitators' (nobody else
    # sees who waits), so the room is not sent to every seat.
    notify.seat_joined(member)
    notify.commit()


def set_mode(store: RoomStore, member: Member, new_mode: str, now: datetime) -> None:
    """Move to a quieter way of taking part at will, or to a louder one the group allows."""
    room = store.snapshot(member.session_id)
    if room is None or member.seat_id not in room["seats"]:
        raise NoSuchSeat("Accept the agreement first.")
    current = room["seats"][member.seat_id]["mode"]
    if is_louder(new_mode, current) and new_mode not in member.allowed_modes:
        raise Forbidden(f"This group allows {', '.join(member.allowed_modes)}.")
    # One change: a quieter mode lowers the hand and gives back the floor at the same moment.
    store.change_now(member.session_id, Room.update_seat, member.seat_id, mode=new_mode)
    seat = attendance.of(member)
    if seat is not None:
        seat.mode = new_mode
    notify.room_changed(member)
    notify.commit()


def step_away(store: RoomStore, member: Member) -> None:
    """Take a breather, keeping the seat."""
    store.change(member.session_id, Room.set_away, member.seat_id, True)
    notify.room_changed(member)
    notify.commit()


def step_back(store: RoomStore, member: Member) -> None:
    """Come back from a breather."""
    store.change(member.session_id, Room.set_away, member.seat_id, False)
    notify.room_changed(member)
    notify.commit()


def leave(store: RoomStore, member: Member, now: datetime) -> None:
    """Leave quietly: the seat goes, nobody is told, the attendance notes the time."""
    store.change_now(member.session_id, Room.remove_seat, member.seat_id)
    attendance.left(member, now)
    notify.room_changed(member)
    notify.commit()


# Taking a person out.


@dataclass(frozen=True)
class Removal:
    """Who was taken out of a session, and why ("removed", "barred" or "link_replaced")."""

    session_id: str
    seat_id: str
    reason: str


def _take_out(store: RoomStore, session: CircleSession, seat_id: str, reason: str) -> Removal:
    """Free the seat in the store; its connections are told and dropped after the commit (no commit)."""
    with contextlib.suppress(NoSuchRoom, NoSuchSeat):
        store.change_now(str(session.id), Room.remove_seat, seat_id)
    notify.seat_removed(str(session.id), seat_id, reason)
    notify.room_changed(session_context(session))
    return Removal(str(session.id), seat_id, reason)


def remove_from_session(
    store: RoomStore,
    session: CircleSession,
    registration: Registration,
    actor: audit.Actor,
    secret: str,
    now: datetime,
    *,
    bar: bool,
) -> Removal:
    """Remove a person from a session for good, and with `bar` from the group: their link is revoked."""
    if registration.group_id != session.group_id:
        raise Invalid("This person is not registered in this session's group.")
    if not bar and session.status not in ("scheduled", "live"):
        raise Conflict(f"This session is {session.status}; there is nobody to remove from it.")
    seat_id = seat_id_of_registration(secret, session.id, registration.id)
    with audit.recorded(session.id, actor, "seat:bar" if bar else "seat:remove", seat_id):
        if not was_removed(session.id, registration.id):
            db.session.add(
                SessionRemoval(
                    session_id=session.id,
                    registration_id=registration.id,
                    organization_id=session.organization_id,
                    removed_at=now,
                )
            )
        attendance.registration_left(session.id, registration.id, now)
        removal = _take_out(store, session, seat_id, "barred" if bar else "removed")
        if bar:
            # Revokes the join link and gives the seat to the waitlist, committing all of this.
            registrations.remove_registration(session.organization_id, registration.id)
        notify.commit()
    return removal


def remove_seat(
    store: RoomStore, member: Member, secret: str, seat_id: str, now: datetime, *, bar: bool
) -> Removal:
    """A facilitator removes a participant from this session (`bar`: from the group too)."""
    require_facilitator(member)
    room = store.snapshot(member.session_id)
    seat = room["seats"].get(seat_id) if room else None
    if seat is not None and seat["role"] != "participant":
        raise Forbidden("Only a participant can be removed.")
    session_id = uuid.UUID(member.session_id)
    registration = registration_of_seat(secret, session_id, seat_id)
    if registration is None:
        raise NoSuchSeat("Nobody with that seat took part in this session.")
    session = db.session.get(CircleSession, session_id)
    return remove_from_session(store, session, registration, actor_of(member), secret, now, bar=bar)


def _live_seats(store: RoomStore, registration: Registration, secret: str) -> list[tuple[CircleSession, str]]:
    """The live sessions of the registration's group where its person holds a seat now."""
    live = db.session.execute(
        db.select(CircleSession).where(
            CircleSession.group_id == registration.group_id, CircleSession.status == "live"
        )
    ).scalars()
    found = []
    for session in live:
        seat_id = seat_id_of_registration(secret, session.id, registration.id)
        room = store.snapshot(str(session.id))
        if room is not None and seat_id in room["seats"]:
            found.append((session, seat_id))
    return found


def _out_of_live_rooms(
    store: RoomStore, registration: Registration, actor: audit.Actor, secret: str, cause: str, now: datetime
) -> None:
    """Take the person out of every live room they sit in, audited, noting when they left (no commit)."""
    if registration.status == "removed":
        return
    for session, seat_id in _live_seats(store, registration, secret):
        audit.record(session.id, actor, "seat:remove", seat_id, {"cause": cause})
        attendance.registration_left(session.id, registration.id, now)
        _take_out(store, session, seat_id, "removed")


def remove_registration(
    store: RoomStore, registration: Registration, actor: audit.Actor, secret: str, now: datetime
) -> Registration:
    """The organization removes a registration: its link stops working, its person leaves any live room."""
    # In the same transaction that revokes the link and moves the waitlist up.
    _out_of_live_rooms(store, registration, actor, secret, "registration_removed", now)
    return registrations.remove_registration(registration.organization_id, registration.id)


def replace_join_link(
    store: RoomStore, registration: Registration, actor: audit.Actor, secret: str, now: datetime
) -> registrations.IssuedRegistration:
    """Issue a new join link: whoever holds the old one is taken out of any live room at once."""
    _out_of_live_rooms(store, registration, actor, secret, "join_link_replaced", now)
    return registrations.rotate_join_link(registration.organization_id, registration.id)


def erase_person(
    store: RoomStore,
    registrations_of_person: list[Registration],
    external_ref: str | None,
    actor: audit.Actor,
    secret: str,
    now: datetime,
) -> Erasure:
    """Erase a person's data; whoever sits in a live room with one of their links is taken out at once."""
    people.refuse_while_help_is_pending(registrations_of_person)
    # In the same transaction that erases them.
    for registration in registrations_of_person:
        _out_of_live_rooms(store, registration, actor, secret, "person_erased", now)
    return people.erase(actor.organization_id, registrations_of_person, external_ref, actor, now)
