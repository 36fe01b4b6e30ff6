"""Private messages between a facilitator and one participant; never stored."""

from __future__ import annotations

import uuid
from datetime import datetime

from service.domain.errors import Forbidden, Invalid
from service.live import notify
from service.live.access import Member
from service.live.audit_trail import note
from service.live.errors import ChatClosed
from service.live.guards import require_allowed
from service.rooms.errors import NoSuchSeat
from service.rooms.state import Room
from service.rooms.store import RoomStore

PRIVATE_MAX_CHARS = 500
# (attempts, window in seconds): a conversation, not a flood.
PRIVATE_LIMIT = (10, 10.0)


def open_channel(
    store: RoomStore, session_id: str, facilitator_seat_id: str, participant_seat_id: str
) -> bool:
    """Let a facilitator and a participant write to each other privately; False if it was open."""
    return store.change(session_id, Room.open_channel, facilitator_seat_id, participant_seat_id)


def send(store: RoomStore, member: Member, to: str, text: str, now: datetime) -> dict:
    """A private message between a facilitator and one seat, delivered to both ends only; the message.

    A facilitator may write to anyone seated (a participant's channel opens with it); a
    participant only to a facilitator who opened a channel with them. `text` is at most
    `PRIVATE_MAX_CHARS` long, as the adapter's schema checks.
    """
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
        opened = target["role"] == "participant" and open_channel(
            store, member.session_id, member.seat_id, to
        )
    elif target["role"] != "facilitator" or [to, member.seat_id] not in room["private_channels"]:
        raise Forbidden("You can write privately to a facilitator once they have written to you.")
    else:
        opened = False
    require_allowed(store, member, "private", PRIVATE_LIMIT)
    message = {
        "id": uuid.uuid4().hex,
        "from": member.seat_id,
        "to": to,
        "display_name": room["seats"][member.seat_id]["display_name"],
        "text": text,
        "sent_at": now.isoformat(),
    }
    notify.send(member.session_id, [member.seat_id, to], "private:message", message)
    if opened:
        note(member, "private:open", to)
    notify.commit()
    return message
