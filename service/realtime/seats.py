"""Socket.IO adapters of `service.live.seats`: agreeing, taking part, stepping away, leaving, removal."""

from __future__ import annotations

from flask import request
from flask_socketio import join_room, leave_room

from service.live import seats
from service.live.access import Member
from service.live.runtime import room_store, seat_secret
from service.realtime import schemas
from service.realtime.adapter import Events, members, seat_room, unseated_room, utc_now

events = Events()


@events.on("room:agree", schemas.AgreeSchema)
def on_agree(member: Member, display_name: str, mode: str) -> None:
    """Accept the agreement and wait in the lobby."""
    # Out of the unseated audience first: from now on this connection is sent its seat's own view.
    leave_room(unseated_room(member.session_id))
    try:
        seats.agree(room_store(), member, display_name, mode, utc_now())
    except Exception:
        join_room(unseated_room(member.session_id))
        raise


@events.on("mode:set", schemas.ModeSchema)
def on_mode(member: Member, mode: str) -> None:
    """Change how the sender takes part."""
    seats.set_mode(room_store(), member, mode, utc_now())


@events.on("presence:away")
def on_away(member: Member) -> None:
    """Step away."""
    seats.step_away(room_store(), member)


@events.on("presence:back")
def on_back(member: Member) -> None:
    """Come back."""
    seats.step_back(room_store(), member)


@events.on("room:leave")
def on_leave(member: Member) -> None:
    """Leave quietly: nothing is announced, the seat is simply gone from the next state."""
    seats.leave(room_store(), member, utc_now())
    members().pop(request.sid, None)
    leave_room(seat_room(member.session_id, member.seat_id))


@events.on("seat:remove", schemas.SeatSchema)
def on_remove(member: Member, seat_id: str) -> None:
    """Remove a participant from this session."""
    seats.remove_seat(room_store(), member, seat_secret(), seat_id, utc_now(), bar=False)


@events.on("seat:bar", schemas.SeatSchema)
def on_bar(member: Member, seat_id: str) -> None:
    """Remove a participant and bar them from the group."""
    seats.remove_seat(room_store(), member, seat_secret(), seat_id, utc_now(), bar=True)
