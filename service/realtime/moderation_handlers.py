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
    _broadcast,
    _emit_to_seats,
    _emit_to_session,
    _members,
    _now,
    _seat_room,
    _socketio,
    _store,
    event,
)


def announce_end(member: Member) -> None:
    """Tell every connection of the session that it has ended, then show the ended room."""
    _emit_to_session(member.session_id, "room:ended", {"session_id": member.session_id})
    _broadcast(member)


def drop_removed(removal: Removal) -> None:
    """Tell a removed person's connections why, and disconnect those of this process.

    A connection on another server process is told through the message queue and taken out
    of the seat's Socket.IO room; its seat is gone and every event it sends is refused.
    """
    payload = {"reason": removal.reason}
    for sid, member in list(_members().items()):
        if (member.session_id, member.seat_id) == (removal.session_id, removal.seat_id):
            # Forgotten first, so the disconnect does not keep a seat for a reconnect.
            del _members()[sid]
            # Straight to the socket, not through the queue, so it arrives before the disconnect.
            _socketio().emit("room:removed", payload, to=sid, ignore_queue=True)
            _socketio().server.disconnect(sid, namespace="/", ignore_queue=True)
    seat_room = _seat_room(removal.session_id, removal.seat_id)
    _socketio().emit("room:removed", payload, to=seat_room)
    _socketio().close_room(seat_room)


@event("room:end", schemas.EndSchema)
def on_end(member: Member, notice: bool) -> None:
    """End the session now, or in two minutes with `notice`."""
    if not notice:
        moderation.end_room(_store(), member, _now())
        announce_end(member)
        return
    ends_at = moderation.end_with_notice(_store(), member, _now())
    _emit_to_session(
        member.session_id, "room:ending", {"session_id": member.session_id, "ends_at": ends_at.isoformat()}
    )
    _broadcast(member)


@event("seat:mute_all", schemas.MuteAllSchema)
def on_mute_all(member: Member, muted: bool) -> None:
    """Mute or unmute every participant."""
    moderation.mute_all(_store(), member, muted)
    _broadcast(member)


@event("hand:lower_all")
def on_lower_all(member: Member) -> None:
    """Lower every raised hand."""
    moderation.lower_all_hands(_store(), member)
    _broadcast(member)


@event("norm:remind", schemas.NormRemindSchema)
def on_remind(member: Member, norm: int, seat_id: str | None) -> None:
    """Remind the room, or one person privately, of a norm of the agreement."""
    text, audience = moderation.remind_norm(_store(), member, norm, seat_id)
    _emit_to_seats(member, audience, "norm:reminder", {"norm": text, "private": seat_id is not None})


def _remove(member: Member, seat_id: str, *, bar: bool) -> None:
    secret = current_app.config["SECRET_KEY"]
    removal = moderation.remove_seat(_store(), member, secret, seat_id, _now(), bar=bar)
    drop_removed(removal)
    _broadcast(member)


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
    audience = moderation.delete_chat(_store(), member, id)
    _emit_to_seats(member, audience, "chat:deleted", {"id": id})


def _end_breath_later(app: Flask, member: Member, started_at: float, seconds: int) -> None:
    """Show the room again once the pause is over, unless another pause replaced it."""
    _socketio().sleep(seconds)
    with app.app_context():
        room = _store().snapshot(member.session_id)
        if room is not None and room["breathing_started_at"] == started_at:
            _broadcast(member)


@event("breath:start", schemas.BreathSchema)
def on_breath_start(member: Member, seconds: int) -> None:
    """Start a breathing pause: microphones are held until it is over."""
    started_at = moderation.start_breathing(_store(), member, seconds)
    _broadcast(member)
    app = current_app._get_current_object()
    _socketio().start_background_task(_end_breath_later, app, member, started_at, seconds)


@event("breath:stop")
def on_breath_stop(member: Member) -> None:
    """End the breathing pause early."""
    moderation.stop_breathing(_store(), member)
    _broadcast(member)


@event("private:send", schemas.PrivateSchema)
def on_private(member: Member, to: str, text: str) -> dict[str, Any]:
    """Write privately between a facilitator and one person; delivered to both ends, never stored."""
    message = moderation.send_private(_store(), member, to, text, _now())
    _emit_to_seats(member, [member.seat_id, to], "private:message", message)
    return {"id": message["id"]}
