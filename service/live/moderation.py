"""A facilitator's (and the organization's) tools for holding a room, one function per action.

The simpler ones (admit, lock, mute one, pass the floor, the share timer, pausing the chat)
live in `service.live.actions`. Every action here is noted in the audit log, in the same
transaction as its change to the database, or right after the room store accepted it.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from service.domain import audit
from service.domain.errors import Conflict, Forbidden, Invalid
from service.domain.registrations import remove_registration
from service.domain.sessions import bring_end_forward, end_session
from service.extensions import db
from service.live.access import Member, registration_of_seat, seat_id_of_registration, was_removed
from service.live.audit_trail import actor_of, note
from service.live.clock import claim_warning, close_attendance
from service.live.errors import ChatClosed
from service.live.guards import in_room_seats, require_allowed, require_facilitator, require_open
from service.models import Attendance, CircleSession, Registration, SessionRemoval
from service.rooms.errors import NoSuchRoom, NoSuchSeat
from service.rooms.store import RoomStore

END_NOTICE = timedelta(minutes=2)
BREATH_SECONDS = (30, 300)
PRIVATE_MAX_CHARS = 500
# (attempts, window in seconds): a conversation, not a flood.
PRIVATE_LIMIT = (10, 10.0)


# Ending the session.


def end_now(store: RoomStore, session_id: uuid.UUID, actor: audit.Actor, now: datetime) -> None:
    """End a live session at once: its status, every attendance and the room (Conflict unless live)."""
    with audit.recorded(session_id, actor, "room:end"):
        end_session(actor.organization_id, session_id, now)
    close_attendance(session_id, now)
    db.session.commit()
    # The organization may end a session nobody is in on this store.
    with contextlib.suppress(NoSuchRoom):
        store.set_phase(str(session_id), "ended")


def end_room(store: RoomStore, member: Member, now: datetime) -> None:
    """A facilitator ends the session now."""
    require_facilitator(member)
    require_open(store, member)
    end_now(store, uuid.UUID(member.session_id), actor_of(member), now)


def end_with_notice(store: RoomStore, member: Member, now: datetime) -> datetime:
    """A facilitator ends the session in two minutes; the new end, which the room's clock keeps."""
    require_facilitator(member)
    require_open(store, member)
    detail = {"notice_seconds": int(END_NOTICE.total_seconds())}
    with audit.recorded(member.session_id, actor_of(member), "room:end", detail=detail):
        session = bring_end_forward(member.organization_id, uuid.UUID(member.session_id), now + END_NOTICE)
    store.set_ends_at(member.session_id, session.ends_at.isoformat())
    # This notice is the room's warning: the clock does not send another one.
    claim_warning(store, member.session_id)
    return session.ends_at


# The room as a whole.


def mute_all(store: RoomStore, member: Member, muted: bool) -> list[str]:
    """A facilitator mutes or unmutes every participant (facilitators are untouched); their seats."""
    require_facilitator(member)
    seats = store.set_participants_muted(member.session_id, muted)
    note(member, "seat:mute_all", detail={"muted": muted})
    return seats


def lower_all_hands(store: RoomStore, member: Member) -> list[str]:
    """A facilitator lowers every raised hand; the seats whose hands were up."""
    require_facilitator(member)
    lowered = store.lower_all_hands(member.session_id)
    note(member, "hand:lower_all", detail={"count": len(lowered)})
    return lowered


def remind_norm(store: RoomStore, member: Member, norm: int, seat_id: str | None) -> tuple[str, list[str]]:
    """A facilitator reminds the room, or one seat, of a norm of the agreement; its text and the audience."""
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
    note(member, "norm:remind", seat_id, {"norm": norm})
    return member.norms[norm], audience


def start_breathing(store: RoomStore, member: Member, seconds: int) -> float:
    """A facilitator starts a breathing pause: every microphone is held; when it started."""
    require_facilitator(member)
    require_open(store, member)
    if not BREATH_SECONDS[0] <= seconds <= BREATH_SECONDS[1]:
        raise Invalid("A breathing pause lasts 30 to 300 seconds.", fields={"seconds": ["Out of range."]})
    started = store.start_breathing(member.session_id, seconds)
    note(member, "breath:start", detail={"seconds": seconds})
    return started


def stop_breathing(store: RoomStore, member: Member) -> None:
    """A facilitator ends the breathing pause early."""
    require_facilitator(member)
    store.stop_breathing(member.session_id)
    note(member, "breath:stop")


def delete_chat(store: RoomStore, member: Member, message_id: str) -> list[str]:
    """A facilitator deletes a recent chat message for everyone; the seats to tell."""
    require_facilitator(member)
    room = require_open(store, member)
    sender = store.forget_chat(member.session_id, message_id)
    note(member, "chat:delete", sender)
    return in_room_seats(room)


# Removing and barring.


@dataclass(frozen=True)
class Removal:
    """Who was removed: the seat whose connections are to be told and dropped."""

    session_id: str
    seat_id: str
    reason: str


def remove_registration_from_session(
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
        db.session.execute(
            db.update(Attendance)
            .where(
                Attendance.session_id == session.id,
                Attendance.registration_id == registration.id,
                Attendance.left_at.is_(None),
            )
            .values(left_at=now)
        )
        if bar:
            # Revokes the join link and gives the seat to the waitlist, committing all of this.
            remove_registration(session.organization_id, registration.id)
        db.session.commit()
    with contextlib.suppress(NoSuchRoom, NoSuchSeat):
        store.remove_seat(str(session.id), seat_id)
    return Removal(str(session.id), seat_id, "barred" if bar else "removed")


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
    return remove_registration_from_session(
        store, session, registration, actor_of(member), secret, now, bar=bar
    )


# Private messages.


def open_private_channel(
    store: RoomStore, session_id: str, facilitator_seat_id: str, participant_seat_id: str
) -> bool:
    """Let a facilitator and a participant write to each other privately; False if it was open."""
    return store.open_channel(session_id, facilitator_seat_id, participant_seat_id)


def send_private(store: RoomStore, member: Member, to: str, text: str, now: datetime) -> dict:
    """A private message between a facilitator and one seat; the message, for both ends only.

    A facilitator may write to anyone seated (a participant's channel opens with it); a
    participant only to a facilitator who opened a channel with them.
    """
    text = text.strip()
    if not text or len(text) > PRIVATE_MAX_CHARS:
        raise Invalid(f"A message has 1 to {PRIVATE_MAX_CHARS} characters.", fields={"text": ["Bad length."]})
    room = store.snapshot(member.session_id)
    if room is None or member.seat_id not in room["seats"]:
        raise NoSuchSeat("Agree to the group's agreement first.")
    if room["phase"] == "ended":
        raise ChatClosed("The session has ended.")
    if to == member.seat_id:
        raise Invalid("A private message goes to someone else.", fields={"to": ["Not your own seat."]})
    target = room["seats"].get(to)
    if target is None:
        raise NoSuchSeat("That seat is not in this session.")
    if member.is_facilitator:
        opened = target["role"] == "participant" and open_private_channel(
            store, member.session_id, member.seat_id, to
        )
    elif target["role"] != "facilitator" or [to, member.seat_id] not in room["private_channels"]:
        raise Forbidden("You can write privately to a facilitator once they have written to you.")
    else:
        opened = False
    require_allowed(store, member, "private", PRIVATE_LIMIT)
    if opened:
        note(member, "private:open", to)
    return {
        "id": uuid.uuid4().hex,
        "from": member.seat_id,
        "to": to,
        "display_name": room["seats"][member.seat_id]["display_name"],
        "text": text,
        "sent_at": now.isoformat(),
    }
