"""One function per room action: checks the rules, changes the store and the records, commits.

Each takes the acting `Member`, plain values and the store, and raises a DomainError to
refuse; the adapter emits to the room only after one of these has returned.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime

from service.domain import audit
from service.domain.errors import Forbidden, Invalid
from service.domain.sessions import start_session
from service.extensions import db
from service.live.access import Member, require_still_welcome
from service.live.audit_trail import actor_of, note
from service.live.errors import ChatClosed, MediaNotAllowed, SessionOver
from service.live.guards import (
    in_room_seats,
    require_allowed,
    require_facilitator,
    require_in_room,
    require_open,
)
from service.models import Attendance, CircleSession
from service.rooms.errors import FloorChanged, NoSuchRoom, NoSuchSeat, NotInRoom, SeatExpired
from service.rooms.sdp import sent_media
from service.rooms.store import RoomStore

# Quietest first: moving left is always allowed.
MODE_ORDER = ("listen_only", "camera_off", "speak")
REACTIONS = ("i_hear_you", "thank_you", "me_too", "sending_care")
CHAT_MAX_CHARS = 500
# (attempts, window in seconds): enough for warmth, too few for a flood.
REACTION_LIMIT = (10, 10.0)
CHAT_LIMIT = (5, 10.0)


def _attendance(member: Member) -> Attendance | None:
    column = Attendance.registration_id if member.registration_id else Attendance.facilitator_id
    return db.session.execute(
        db.select(Attendance).where(
            Attendance.session_id == uuid.UUID(member.session_id),
            column == (member.registration_id or member.facilitator_id),
        )
    ).scalar_one_or_none()


def _record_join(member: Member, mode: str, now: datetime, agreed: bool) -> None:
    """Start or resume the member's attendance row (no commit)."""
    attendance = _attendance(member)
    if attendance is None:
        attendance = Attendance(
            session_id=uuid.UUID(member.session_id),
            organization_id=member.organization_id,
            registration_id=member.registration_id,
            facilitator_id=member.facilitator_id,
            joined_at=now,
        )
        db.session.add(attendance)
    attendance.mode, attendance.left_at = mode, None
    if agreed:
        attendance.agreement_accepted_at = now


def _record_left(member: Member, now: datetime) -> None:
    attendance = _attendance(member)
    if attendance is not None:
        attendance.left_at = now


def current_state(store: RoomStore, session_id: str) -> dict | None:
    """The room's state with seats whose reconnect grace has passed taken away."""
    # Expiring on every read bounds how long a dropped seat shows as "reconnecting".
    try:
        store.expire_seats(session_id)
    except NoSuchRoom:
        return None
    return store.snapshot(session_id)


def connect(store: RoomStore, member: Member, now: datetime) -> bool:
    """Seat a facilitator or give a returning participant their seat back; whether a seat is held."""
    room = store.ensure_room(member.session_id)
    if member.seat_id in room["seats"]:
        try:
            seat = store.reconnect(member.session_id, member.seat_id)
        except SeatExpired:
            store.remove_seat(member.session_id, member.seat_id)
        else:
            _record_join(member, seat.mode, now, agreed=False)
            db.session.commit()
            return True
    if not member.is_facilitator:
        return False
    store.add_seat(
        member.session_id, member.seat_id, member.facilitator_name or "", "facilitator", "speak", "room"
    )
    _record_join(member, "speak", now, agreed=False)
    db.session.commit()
    return True


def disconnect(store: RoomStore, member: Member, grace_seconds: float, now: datetime) -> None:
    """Keep a dropped seat for the grace period; the attendance notes when it dropped."""
    try:
        store.disconnect(member.session_id, member.seat_id, grace_seconds)
    except NoSuchSeat:
        return
    _record_left(member, now)
    db.session.commit()


def agree(store: RoomStore, member: Member, display_name: str, mode: str, now: datetime) -> None:
    """A participant accepts the agreement and takes a seat in the lobby."""
    if member.is_facilitator:
        raise Forbidden("Facilitators are seated when they connect.")
    require_still_welcome(member)
    if mode not in member.allowed_modes:
        raise Invalid(
            f"This group allows {', '.join(member.allowed_modes)}.", fields={"mode": ["Not allowed."]}
        )
    store.ensure_room(member.session_id)
    store.add_seat(member.session_id, member.seat_id, display_name, "participant", mode)
    _record_join(member, mode, now, agreed=True)
    db.session.commit()


def open_room(store: RoomStore, member: Member, now: datetime) -> None:
    """A facilitator opens the room: the session is live."""
    require_facilitator(member)
    session = db.session.get(CircleSession, uuid.UUID(member.session_id))
    if session.status not in ("scheduled", "live"):
        raise SessionOver(f"This session is {session.status}.")
    with audit.recorded(member.session_id, actor_of(member), "room:open"):
        if session.status == "scheduled":
            start_session(member.organization_id, session.id, now)
        db.session.commit()
    store.set_phase(member.session_id, "open")


def admit(store: RoomStore, member: Member, seat_id: str) -> None:
    """A facilitator lets one waiting person in."""
    require_facilitator(member)
    require_open(store, member)
    if store.admit(member.session_id, seat_id):
        note(member, "lobby:admit", seat_id)


def admit_all(store: RoomStore, member: Member) -> list[str]:
    """A facilitator lets everyone waiting in; their seat ids."""
    require_facilitator(member)
    require_open(store, member)
    admitted = store.admit_all(member.session_id)
    note(member, "lobby:admit_all", detail={"count": len(admitted)})
    return admitted


def lock(store: RoomStore, member: Member, locked: bool) -> None:
    """A facilitator locks or unlocks admission."""
    require_facilitator(member)
    store.set_locked(member.session_id, locked)
    note(member, "room:lock", detail={"locked": locked})


def set_mode(store: RoomStore, member: Member, mode: str, now: datetime) -> None:
    """Move to a quieter mode at will, or to a louder one the group allows."""
    room = store.snapshot(member.session_id)
    if room is None or member.seat_id not in room["seats"]:
        raise NoSuchSeat("Accept the agreement first.")
    current = room["seats"][member.seat_id]["mode"]
    louder = MODE_ORDER.index(mode) > MODE_ORDER.index(current)
    if louder and mode not in member.allowed_modes:
        raise Forbidden(f"This group allows {', '.join(member.allowed_modes)}.")
    store.update_seat(member.session_id, member.seat_id, mode=mode)
    if mode == "listen_only":
        # A listen-only seat can never hold or wait for the floor.
        store.lower_hand(member.session_id, member.seat_id)
        if room["floor"] == member.seat_id:
            store.release_floor(member.session_id, member.seat_id)
    attendance = _attendance(member)
    if attendance is not None:
        attendance.mode = mode
        db.session.commit()


def _refuse_listen_only(room: dict, seat_id: str) -> None:
    seat = room["seats"].get(seat_id)
    if seat is not None and seat["mode"] == "listen_only":
        raise Forbidden("A listen-only seat cannot take the floor.")


def raise_hand(store: RoomStore, member: Member) -> int:
    """Join the speaking queue; the 0-based position."""
    room = require_open(store, member)
    _refuse_listen_only(room, member.seat_id)
    return store.raise_hand(member.session_id, member.seat_id)


def lower_hand(store: RoomStore, member: Member, seat_id: str | None) -> None:
    """Leave the queue; a facilitator may lower anyone's hand."""
    if seat_id in (None, member.seat_id):
        store.lower_hand(member.session_id, member.seat_id)
        return
    require_facilitator(member)
    store.lower_hand(member.session_id, seat_id)
    note(member, "hand:lower", seat_id)


def pass_floor(store: RoomStore, member: Member, to: str | None) -> str | None:
    """A facilitator gives the floor to `to` or the next raised hand; the new holder."""
    require_facilitator(member)
    room = require_open(store, member)
    if to is not None:
        _refuse_listen_only(room, to)
    holder = store.pass_floor(member.session_id, room["floor"], to)
    note(member, "floor:pass", holder)
    return holder


def release_floor(store: RoomStore, member: Member) -> None:
    """The holder says "pass"; in round-robin the next raised hand takes the floor."""
    store.release_floor(member.session_id, member.seat_id)
    room = store.snapshot(member.session_id)
    if room["floor_mode"] == "round_robin" and room["hands"]:
        # Expecting a free floor: a facilitator who passed it meanwhile wins.
        with contextlib.suppress(FloorChanged):
            store.pass_floor(member.session_id, None)


def set_floor_mode(store: RoomStore, member: Member, floor_mode: str) -> None:
    """A facilitator chooses facilitated or round-robin passing."""
    require_facilitator(member)
    store.set_floor_mode(member.session_id, floor_mode)
    note(member, "floor:mode", detail={"mode": floor_mode})


def set_share_timer(store: RoomStore, member: Member, seconds: int | None) -> None:
    """A facilitator sets the gentle per-share timer, or turns it off."""
    require_facilitator(member)
    store.set_share_timer(member.session_id, seconds)
    note(member, "floor:timer", detail={"seconds": seconds})


def set_muted(store: RoomStore, member: Member, seat_id: str, muted: bool) -> None:
    """A facilitator mutes or unmutes one seat."""
    require_facilitator(member)
    store.set_muted(member.session_id, seat_id, muted)
    note(member, "seat:mute", seat_id, {"muted": muted})


def pause_chat(store: RoomStore, member: Member, paused: bool) -> None:
    """A facilitator pauses or resumes the chat."""
    require_facilitator(member)
    store.set_chat_paused(member.session_id, paused)
    note(member, "chat:pause", detail={"paused": paused})


def set_response(store: RoomStore, member: Member, preference: str) -> None:
    """The holder welcomes responses or asks for just listening."""
    store.set_response(member.session_id, member.seat_id, preference)


def react(store: RoomStore, member: Member, kind: str) -> list[str]:
    """Send a supportive reaction from the fixed set; the seats to deliver it to."""
    if kind not in REACTIONS:
        raise Invalid(f"A reaction is one of {', '.join(REACTIONS)}.", fields={"kind": ["Unknown."]})
    room = require_in_room(store, member)
    require_allowed(store, member, "reaction", REACTION_LIMIT)
    return in_room_seats(room)


def chat(store: RoomStore, member: Member, text: str, now: datetime) -> tuple[dict, list[str]]:
    """Write plain text in the chat; the message and the seats to deliver it to."""
    text = text.strip()
    if not text or len(text) > CHAT_MAX_CHARS:
        raise Invalid(f"A message has 1 to {CHAT_MAX_CHARS} characters.", fields={"text": ["Bad length."]})
    room = require_in_room(store, member)
    if not member.chat_enabled or room["chat_paused"]:
        raise ChatClosed("The chat is closed.")
    require_allowed(store, member, "chat", CHAT_LIMIT)
    message = {
        "id": uuid.uuid4().hex,
        "seat_id": member.seat_id,
        "display_name": room["seats"][member.seat_id]["display_name"],
        "text": text,
        "sent_at": now.isoformat(),
    }
    # Only the id and the sender are kept, so a facilitator can delete the message for everyone.
    store.note_chat(member.session_id, message["id"], member.seat_id)
    return message, in_room_seats(room)


# What each way of taking part may ever send; the floor and mutes are kept by the receivers,
# which follow `may_publish_audio`/`may_publish_video` in the room state.
SENDABLE_MEDIA = {"speak": {"audio", "video"}, "camera_off": {"audio"}, "listen_only": set()}


def signal(store: RoomStore, member: Member, to: str, kind: str, data: dict) -> None:
    """Allow a WebRTC signal only between two seats of the open room, carrying only sendable media."""
    room = require_in_room(store, member)
    if to == member.seat_id:
        raise Invalid("A signal goes to someone else.", fields={"to": ["Not your own seat."]})
    target = room["seats"].get(to)
    if target is None or target["where"] != "room" or not target["connected"]:
        raise NotInRoom("That seat is not in the room.")
    if kind in ("offer", "answer"):
        _check_media(data, room["seats"][member.seat_id]["mode"])


def _check_media(description: dict, mode: str) -> None:
    sdp = description.get("sdp")
    if not isinstance(sdp, str):
        raise Invalid("An offer or answer carries its SDP text.", fields={"data.sdp": ["Required."]})
    try:
        sent = sent_media(sdp)
    except ValueError as exc:
        raise Invalid("This is not a session description.", fields={"data.sdp": [str(exc)]}) from exc
    refused = sent - SENDABLE_MEDIA[mode]
    if refused:
        raise MediaNotAllowed(
            f"Taking part as {mode.replace('_', ' ')} does not send {' or '.join(sorted(refused))}."
        )


def ice_identity(store: RoomStore, member: Member) -> str:
    """The name TURN credentials are issued under: only for a seated member, never a person's name."""
    room = store.snapshot(member.session_id)
    if room is None or member.seat_id not in room["seats"]:
        raise NoSuchSeat("Agree to the group's agreement first.")
    return member.seat_id


def step_away(store: RoomStore, member: Member) -> None:
    """Take a breather, keeping the seat."""
    store.step_away(member.session_id, member.seat_id)


def step_back(store: RoomStore, member: Member) -> None:
    """Come back from a breather."""
    store.step_back(member.session_id, member.seat_id)


def leave(store: RoomStore, member: Member, now: datetime) -> None:
    """Leave quietly: the seat goes, nobody is told, the attendance notes the time."""
    store.remove_seat(member.session_id, member.seat_id)
    _record_left(member, now)
    db.session.commit()
