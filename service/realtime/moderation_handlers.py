"""Socket.IO adapters for the facilitator's moderation tools, and telling rooms of the organization's.

Every emit happens after the domain function returned, and so after its database commit.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from service.live import moderation
from service.live.access import Member
from service.live.moderation import Removal
from service.realtime import schemas
from service.realtime.handlers import (
    broadcast,
    emit_to_seats,
    emit_to_session,
    event,
    members,
    room_store,
    seat_room,
    socketio_server,
    utc_now,
)


def announce_end(member: Member) -> None:
    """Tell every connection of the session that it has ended, then show the ended room."""
    emit_to_session(member.session_id, "room:ended", {"session_id": member.session_id})
    broadcast(member)


def drop_removed(removal: Removal) -> None:
    """Tell a removed person's connections why, and disconnect those of this process.

    A connection on another server process is told through the message queue and taken out
    of the seat's Socket.IO room; its seat is gone and every event it sends is refused.
    """
    payload = {"reason": removal.reason}
    for sid, member in list(members().items()):
        if (member.session_id, member.seat_id) == (removal.session_id, removal.seat_id):
            # Forgotten first, so the disconnect does not keep a seat for a reconnect.
            del members()[sid]
            # Straight to the socket, not through the queue, so it arrives before the disconnect.
            socketio_server().emit("room:removed", payload, to=sid, ignore_queue=True)
            socketio_server().server.disconnect(sid, namespace="/", ignore_queue=True)
    room = seat_room(removal.session_id, removal.seat_id)
    socketio_server().emit("room:removed", payload, to=room)
    socketio_server().close_room(room)


@event("room:end", schemas.EndSchema)
def on_end(member: Member, notice: bool) -> None:
    """End the session now, or in two minutes with `notice`."""
    if not notice:
        moderation.end_room(room_store(), member, utc_now())
        announce_end(member)
        return
    ends_at = moderation.end_with_notice(room_store(), member, utc_now())
    emit_to_session(
        member.session_id, "room:ending", {"session_id": member.session_id, "ends_at": ends_at.isoformat()}
    )
    broadcast(member)


@event("seat:mute_all", schemas.MuteAllSchema)
def on_mute_all(member: Member, muted: bool) -> None:
    """Mute or unmute every participant."""
    moderation.mute_all(room_store(), member, muted)
    broadcast(member)


@event("hand:lower_all")
def on_lower_all(member: Member) -> None:
    """Lower every raised hand."""
    moderation.lower_all_hands(room_store(), member)
    broadcast(member)


@event("norm:remind", schemas.NormRemindSchema)
def on_remind(member: Member, norm: int, seat_id: str | None) -> None:
    """Remind the room, or one person privately, of a norm of the agreement."""
    text, audience = moderation.remind_norm(room_store(), member, norm, seat_id)
    emit_to_seats(member, audience, "norm:reminder", {"norm": text, "private": seat_id is not None})


def _remove(member: Member, seat_id: str, *, bar: bool) -> None:
    secret = current_app.config["SECRET_KEY"]
    removal = moderation.remove_seat(room_store(), member, secret, seat_id, utc_now(), bar=bar)
    drop_removed(removal)
    broadcast(member)


@event("seat:remove", schemas.SeatSchema)
def on_remove(member: Member, seat_id: str) -> None:
    """Remove a participant from this session."""
    _remove(member, seat_id, bar=False)


@event("seat:bar", schemas.SeatSchema)
def on_bar(member: Member, seat_id: str) -> None:
    """Remove a participant and bar them from the group."""
    _remove(member, seat_id, bar=True)


@event("chat:delete", schemas.MessageIdSchema)
def on_chat_delete(member: Member, id: str) -> None:
    """Delete a chat message for everyone."""
    audience = moderation.delete_chat(room_store(), member, id)
    emit_to_seats(member, audience, "chat:deleted", {"id": id})


def _end_breath_later(app: Flask, member: Member, started_at: float, seconds: int) -> None:
    """Show the room again once the pause is over, unless another pause replaced it."""
    socketio_server().sleep(seconds)
    with app.app_context():
        room = room_store().snapshot(member.session_id)
        if room is not None and room["breathing_started_at"] == started_at:
            broadcast(member)


@event("breath:start", schemas.BreathSchema)
def on_breath_start(member: Member, seconds: int) -> None:
    """Start a breathing pause: microphones are held until it is over."""
    started_at = moderation.start_breathing(room_store(), member, seconds)
    broadcast(member)
    app = current_app._get_current_object()
    socketio_server().start_background_task(_end_breath_later, app, member, started_at, seconds)


@event("breath:stop")
def on_breath_stop(member: Member) -> None:
    """End the breathing pause early."""
    moderation.stop_breathing(room_store(), member)
    broadcast(member)


@event("private:send", schemas.PrivateSchema)
def on_private(member: Member, to: str, text: str) -> dict[str, Any]:
    """Write privately between a facilitator and one person; delivered to both ends, never stored."""
    message = moderation.send_private(room_store(), member, to, text, utc_now())
    emit_to_seats(member, [member.seat_id, to], "private:message", message)
    return {"id": message["id"]}
