"""Telling live rooms over Socket.IO: the `service.live.notify.Notifier` of this process."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_socketio import SocketIO

from service.live import support
from service.live.access import Member
from service.live.runtime import room_store
from service.live.session import current_state
from service.live.views import seat_view, state_for
from service.realtime.adapter import members, seat_room, unseated_room, utc_now


class SocketNotifier:
    """Sends what the actions recorded, once their transaction committed."""

    def __init__(self, socketio: SocketIO) -> None:
        self.socketio = socketio

    def room_changed(self, context: Member, facilitators_only: bool) -> None:
        """Each seat (or facilitator seat), and everyone unseated, get the room as they may see it."""
        room = current_state(room_store(), context.session_id)
        if room is None:
            return
        now = room_store().clock()
        facilitators = support.facilitator_seats(room)
        alerts = support.alerts_for(room_store(), context.session_id, room) if facilitators else []
        for seat_id in facilitators if facilitators_only else room["seats"]:
            state = state_for(room, context, seat_id, now, alerts)
            self.socketio.emit("room:state", state, to=seat_room(context.session_id, seat_id))
        if not facilitators_only:
            state = state_for(room, context, None, now, [])
            self.socketio.emit("room:state", state, to=unseated_room(context.session_id))

    def state_to(self, sid: str, member: Member) -> None:
        """One new connection gets the room as its member may see it."""
        room = current_state(room_store(), member.session_id)
        if room is None:
            return
        seat_id = member.seat_id if member.seat_id in room["seats"] else None
        alerts = support.alerts_for(room_store(), member.session_id, room) if member.is_facilitator else []
        state = state_for(room, member, seat_id, room_store().clock(), alerts)
        self.socketio.emit("room:state", state, to=sid)
        reach = support.reach_on_connect(member, room, utc_now())
        if reach is not None:
            self.socketio.emit("support:update", reach, to=sid)

    def seat_joined(self, member: Member) -> None:
        """The new seat's connections get the room as it may see it; the facilitators, that seat alone."""
        # Read without expiring seats: a seat whose grace passed is taken away, and the room told,
        # by the next change or connection, not by someone's arrival.
        room = room_store().snapshot(member.session_id)
        if room is None or member.seat_id not in room["seats"]:
            return
        now = room_store().clock()
        state = state_for(room, member, member.seat_id, now, [])
        self.socketio.emit("room:state", state, to=seat_room(member.session_id, member.seat_id))
        facilitators = [seat_room(member.session_id, seat_id) for seat_id in support.facilitator_seats(room)]
        if facilitators:
            seat = seat_view(room, member.seat_id, room["seats"][member.seat_id], now)
            self.socketio.emit("seat:joined", {"seat": seat}, to=facilitators)

    def send(
        self, session_id: str, seat_ids: Iterable[str] | None, event: str, payload: dict[str, Any]
    ) -> None:
        """Send `event` to these seats, or with None to every connection of the session."""
        rooms = [seat_room(session_id, seat_id) for seat_id in seat_ids or ()]
        if seat_ids is None:
            room = room_store().snapshot(session_id)
            rooms = [seat_room(session_id, seat_id) for seat_id in room["seats"]] if room else []
            rooms.append(unseated_room(session_id))
        # One emit to every room at once: one message on the queue, however many seats it reaches.
        if rooms:
            self.socketio.emit(event, payload, to=rooms)

    def seat_removed(self, session_id: str, seat_id: str, reason: str) -> None:
        """Tell a removed person's connections why, and disconnect those of this process.

        A connection on another server process is told through the message queue and taken
        out of the seat's Socket.IO room; its seat is gone and every event it sends is refused.
        """
        payload = {"reason": reason}
        for sid, member in list(members().items()):
            if (member.session_id, member.seat_id) == (session_id, seat_id):
                # Forgotten first, so the disconnect does not keep a seat for a reconnect.
                del members()[sid]
                # Straight to the socket, not through the queue, so it arrives before the disconnect.
                self.socketio.emit("room:removed", payload, to=sid, ignore_queue=True)
                self.socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
        room = seat_room(session_id, seat_id)
        self.socketio.emit("room:removed", payload, to=room)
        self.socketio.close_room(room)
