"""Socket.IO event handlers: validate the payload, call `service.live`, then emit.

Every emit happens after the domain function returned, and so after its database commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from flask import current_app, request, session
from flask_socketio import ConnectionRefusedError, SocketIO, join_room, leave_room

from service.domain.errors import DomainError
from service.extensions import db
from service.live import access, actions
from service.live.access import Member
from service.live.views import state_for
from service.realtime import schemas
from service.rooms.store import RoomStore

Handler = Callable[..., dict[str, Any] | None]
EVENTS: list[tuple[str, type[ma.Schema], Handler]] = []


def signed_in_facilitator_id() -> object | None:
    """The signed-in facilitator's id from the session cookie, or None."""
    return session.get("facilitator_id")


def _store() -> RoomStore:
    return current_app.extensions["hearth_rooms"]


def _members() -> dict[str, Member]:
    return current_app.extensions["hearth_members"]


def _now() -> datetime:
    return datetime.now(UTC)


def _seat_room(session_id: str, seat_id: str) -> str:
    return f"{session_id}/seat/{seat_id}"


def _unseated_room(session_id: str) -> str:
    return f"{session_id}/unseated"


def _error(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"ok": False, "error": error}


def _socketio() -> SocketIO:
    return current_app.extensions["socketio"]


def _emit_to_seats(member: Member, seat_ids: list[str], event: str, payload: dict[str, Any]) -> None:
    for seat_id in seat_ids:
        _socketio().emit(event, payload, to=_seat_room(member.session_id, seat_id))


def _broadcast(member: Member) -> None:
    """Send every seat, and everyone not yet seated, the room as they may see it."""
    room = actions.current_state(_store(), member.session_id)
    if room is None:
        return
    for seat_id in room["seats"]:
        _socketio().emit(
            "room:state", state_for(room, member, seat_id), to=_seat_room(member.session_id, seat_id)
        )
    _socketio().emit("room:state", state_for(room, member, None), to=_unseated_room(member.session_id))


def event(name: str, schema: type[ma.Schema] = schemas.Empty) -> Callable[[Handler], Handler]:
    """Register `handler` for `name`: it gets the member and the loaded payload; its dict is acked."""

    def decorate(handler: Handler) -> Handler:
        EVENTS.append((name, schema, handler))
        return handler

    return decorate


def _adapter(schema: type[ma.Schema], handler: Handler) -> Callable[..., dict[str, Any]]:
    def handle(data: Any = None) -> dict[str, Any]:
        member = _members().get(request.sid)
        if member is None:
            return _error("not_connected", "Connect to a room first.")
        try:
            values = schema().load({} if data is None else data)
        except ma.ValidationError as exc:
            return _error("invalid", "The payload is not valid.", exc.messages)
        try:
            result = handler(member, **values)
        except DomainError as exc:
            db.session.rollback()
            return _error(exc.code, exc.message, exc.fields)
        return {"ok": True, **(result or {})}

    return handle


def on_connect(auth: Any = None) -> None:
    """Admit a join token or a signed-in facilitator; refuse anyone else with a reason code."""
    auth = auth if isinstance(auth, dict) else {}
    secret, now = current_app.config["SECRET_KEY"], _now()
    try:
        if "token" in auth:
            member = access.participant(secret, auth["token"], auth.get("session_id"), now)
        else:
            member = access.facilitator(secret, signed_in_facilitator_id(), auth.get("session_id"), now)
        seated = actions.connect(_store(), member, now)
    except DomainError as exc:
        db.session.rollback()
        # Clients get {"message": ..., "data": {"code": ...}} as the connect error.
        raise ConnectionRefusedError(exc.message, {"code": exc.code}) from None
    _members()[request.sid] = member
    join_room(_seat_room(member.session_id, member.seat_id))
    if not seated:
        join_room(_unseated_room(member.session_id))
    _broadcast(member)


def on_disconnect(reason: object = None) -> None:
    """A dropped connection keeps its seat for the grace period; others see "reconnecting"."""
    member = _members().pop(request.sid, None)
    if member is None:
        return
    grace = current_app.config["HEARTH_RECONNECT_GRACE_SECONDS"]
    actions.disconnect(_store(), member, grace, _now())
    _broadcast(member)


@event("room:agree", schemas.AgreeSchema)
def on_agree(member: Member, display_name: str, mode: str) -> None:
    actions.agree(_store(), member, display_name, mode, _now())
    leave_room(_unseated_room(member.session_id))
    _broadcast(member)


@event("room:open")
def on_open(member: Member) -> None:
    actions.open_room(_store(), member, _now())
    _broadcast(member)


@event("room:end")
def on_end(member: Member) -> None:
    seats = actions.end_room(_store(), member, _now())
    _emit_to_seats(member, seats, "room:ended", {"session_id": member.session_id})
    _socketio().emit("room:ended", {"session_id": member.session_id}, to=_unseated_room(member.session_id))
    _broadcast(member)


@event("room:lock", schemas.LockSchema)
def on_lock(member: Member, locked: bool) -> None:
    actions.lock(_store(), member, locked)
    _broadcast(member)


@event("room:leave")
def on_leave(member: Member) -> None:
    actions.leave(_store(), member, _now())
    # Nothing is announced: the seat is simply gone from the next state.
    _members().pop(request.sid, None)
    leave_room(_seat_room(member.session_id, member.seat_id))
    _broadcast(member)


@event("lobby:admit", schemas.SeatSchema)
def on_admit(member: Member, seat_id: str) -> None:
    actions.admit(_store(), member, seat_id)
    _broadcast(member)


@event("lobby:admit_all")
def on_admit_all(member: Member) -> dict[str, Any]:
    admitted = actions.admit_all(_store(), member)
    _broadcast(member)
    return {"admitted": admitted}


@event("mode:set", schemas.ModeSchema)
def on_mode(member: Member, mode: str) -> None:
    actions.set_mode(_store(), member, mode, _now())
    _broadcast(member)


@event("hand:raise")
def on_raise(member: Member) -> dict[str, Any]:
    position = actions.raise_hand(_store(), member)
    _broadcast(member)
    return {"position": position}


@event("hand:lower", schemas.LowerHandSchema)
def on_lower(member: Member, seat_id: str | None = None) -> None:
    actions.lower_hand(_store(), member, seat_id)
    _broadcast(member)


@event("floor:pass", schemas.PassFloorSchema)
def on_pass(member: Member, to: str | None = None) -> dict[str, Any]:
    holder = actions.pass_floor(_store(), member, to)
    _broadcast(member)
    return {"floor": holder}


@event("floor:release")
def on_release(member: Member) -> None:
    actions.release_floor(_store(), member)
    _broadcast(member)


@event("floor:response", schemas.ResponseSchema)
def on_response(member: Member, preference: str) -> None:
    actions.set_response(_store(), member, preference)
    _broadcast(member)


@event("reaction:send", schemas.ReactionSchema)
def on_reaction(member: Member, kind: str) -> None:
    audience = actions.react(_store(), member, kind)
    _emit_to_seats(member, audience, "reaction", {"seat_id": member.seat_id, "kind": kind})


@event("chat:send", schemas.ChatSchema)
def on_chat(member: Member, text: str) -> dict[str, Any]:
    display_name, audience = actions.chat(_store(), member, text)
    message = {
        "id": uuid.uuid4().hex,
        "seat_id": member.seat_id,
        "display_name": display_name,
        "text": text,
        "sent_at": _now().isoformat(),
    }
    # Chat is ephemeral: delivered, never stored.
    _emit_to_seats(member, audience, "chat:message", message)
    return {"id": message["id"]}


@event("rtc:signal", schemas.SignalSchema)
def on_signal(member: Member, to: str, kind: str, data: dict[str, Any]) -> None:
    actions.signal(_store(), member, to)
    _socketio().emit(
        "rtc:signal",
        {"from": member.seat_id, "kind": kind, "data": data},
        to=_seat_room(member.session_id, to),
    )


@event("presence:away")
def on_away(member: Member) -> None:
    actions.step_away(_store(), member)
    _broadcast(member)


@event("presence:back")
def on_back(member: Member) -> None:
    actions.step_back(_store(), member)
    _broadcast(member)


def register(socketio: SocketIO) -> None:
    """Attach every handler to the server `socketio` was last initialised with."""
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    for name, schema, handler in EVENTS:
        socketio.on_event(name, _adapter(schema, handler))
