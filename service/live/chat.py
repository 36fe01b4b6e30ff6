"""The room's chat and reactions: delivered to the seats in the room, never stored."""

from __future__ import annotations

import uuid
from datetime import datetime

from service.live import notify, rounds, support
from service.live.access import Member
from service.live.audit_trail import note
from service.live.errors import ChatClosed
from service.live.guards import (
    in_room_seats,
    require_allowed,
    require_facilitator,
    require_in_room,
    require_open,
)
from service.rooms.state import Room
from service.rooms.store import RoomStore

REACTIONS = ("i_hear_you", "thank_you", "me_too", "sending_care")
CHAT_MAX_CHARS = 500
# (attempts, window in seconds): enough for warmth, too few for a flood.
REACTION_LIMIT = (10, 10.0)
CHAT_LIMIT = (5, 10.0)


def react(store: RoomStore, member: Member, kind: str) -> None:
    """Send a supportive reaction (one of `REACTIONS`, as the adapter's schema checks) to the room."""
    room = require_in_room(store, member)
    require_allowed(store, member, "reaction", REACTION_LIMIT)
    notify.send(member.session_id, in_room_seats(room), "reaction", {"seat_id": member.seat_id, "kind": kind})
    notify.commit()


def send(store: RoomStore, member: Member, text: str, now: datetime) -> dict:
    """Write plain text (at most `CHAT_MAX_CHARS`, as the adapter's schema checks) to the room.

    Risk language in it alerts the facilitators first, and its author privately gets the
    crisis resources; nobody else learns of it. The message.
    """
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
    notify.send(member.session_id, in_room_seats(room), "chat:message", message)
    rounds.after_line(store, member, room)
    # An alert is committed before the message goes out; the facilitators get both together.
    raised = support.notice_risk(store, member, message, now)
    if raised is not None:
        support.offer_resources(member)
    notify.commit()
    return message


def delete(store: RoomStore, member: Member, message_id: str) -> None:
    """A facilitator deletes a recent chat message for everyone."""
    require_facilitator(member)
    room = require_open(store, member)
    sender = store.forget_chat(member.session_id, message_id)
    notify.send(member.session_id, in_room_seats(room), "chat:deleted", {"id": message_id})
    note(member, "chat:delete", sender)


def pause(store: RoomStore, member: Member, paused: bool) -> None:
    """A facilitator pauses or resumes the chat."""
    require_facilitator(member)
    store.change(member.session_id, Room.set_chat_paused, paused)
    notify.room_changed(member)
    note(member, "chat:pause", detail={"paused": paused})
