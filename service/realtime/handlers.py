"""Socket.IO event handlers: validate the payload, call `service.live`, then emit.

Every emit happens after the domain function returned, and so after its database commit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from flask import Flask, current_app, request
from flask_socketio import ConnectionRefusedError, SocketIO, join_room, leave_room

from service.domain.errors import DomainError
from service.extensions import db
from service.live import access, actions, clock, support
from service.live.access import Member
from service.live.views import state_for
from service.realtime import schemas
from service.rooms.ice import ice_servers
from service.rooms.store import RoomStore
from service.web.signin import signed_in_facilitator

log = logging.getLogger("hearth.realtime")
_clock_lock = threading.Lock()
Handler = Callable[..., dict[str, Any] | None]
EVENTS: list[tuple[str, type[ma.Schema], Handler]] = []


def signed_in_facilitator_id() -> object | None:
    """The id of the facilitator the session cookie signs in (still active, same password), or None."""
    facilitator = signed_in_facilitator()
    return facilitator.id if facilitator is not None else None


def room_store() -> RoomStore:
    return current_app.extensions["hearth_rooms"]


def members() -> dict[str, Member]:
    return current_app.extensions["hearth_members"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def seat_room(session_id: str, seat_id: str) -> str:
    return f"{session_id}/seat/{seat_id}"


def unseated_room(session_id: str) -> str:
    return f"{session_id}/unseated"


def _error(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"ok": False, "error": error}


def socketio_server() -> SocketIO:
    return current_app.extensions["socketio"]


def emit_to_seats(member: Member, seat_ids: list[str], event: str, payload: dict[str, Any]) -> None:
    for seat_id in seat_ids:
        socketio_server().emit(event, payload, to=seat_room(member.session_id, seat_id))


def emit_to_session(session_id: str, event: str, payload: dict[str, Any]) -> None:
    """Send `event` to every connection of the session, seated or not."""
    room = room_store().snapshot(session_id)
    for seat_id in room["seats"] if room else ():
        socketio_server().emit(event, payload, to=seat_room(session_id, seat_id))
    socketio_server().emit(event, payload, to=unseated_room(session_id))


def clock_tick() -> None:
    """Look at the clock once: warn rooms nearing their end, announce the sessions it ended.

    Alerts nobody took in time become incidents: the organization is told.
    """
    found = clock.tick(room_store(), utc_now())
    for session_id, ends_at in found.warned:
        emit_to_session(session_id, "room:ending", {"session_id": session_id, "ends_at": ends_at.isoformat()})
    for session_id in found.ended:
        emit_to_session(session_id, "room:ended", {"session_id": session_id})
    # Last, so a failure here cannot hold back the announcements of what the tick already did.
    support.escalate_unanswered(utc_now(), current_app.config["HEARTH_ALERT_TAKE_SECONDS"])


def _run_clock(app: Flask, interval: float) -> None:
    while True:
        app.extensions["socketio"].sleep(interval)
        with app.app_context():
            try:
                clock_tick()
            except Exception:
                # One failed look at the clock must not stop the next one.
                db.session.rollback()
                log.exception("room clock tick failed")


def _start_clock() -> None:
    """Start this process's room clock with its first connection, once."""
    app = current_app._get_current_object()
    interval = app.config["HEARTH_ROOM_CLOCK_SECONDS"]
    with _clock_lock:
        if interval and "hearth_clock" not in app.extensions:
            app.extensions["hearth_clock"] = socketio_server().start_background_task(
                _run_clock, app, interval
            )


def broadcast(member: Member, *, facilitators_only: bool = False) -> None:
    """Send every seat, and everyone not yet seated, the room as they may see it (or the facilitators)."""
    room = actions.current_state(room_store(), member.session_id)
    if room is None:
        return
    now = room_store().clock()
    facilitators = support.facilitator_seats(room)
    alerts = support.alerts_of(member.session_id) if facilitators else []
    for seat_id in facilitators if facilitators_only else room["seats"]:
        socketio_server().emit(
            "room:state",
            state_for(room, member, seat_id, now, alerts),
            to=seat_room(member.session_id, seat_id),
        )
    if not facilitators_only:
        socketio_server().emit(
            "room:state", state_for(room, member, None, now, []), to=unseated_room(member.session_id)
        )


def alert_facilitators(member: Member, raised: support.Raised) -> None:
    """Every facilitator seat of the session gets the new alert and a room state that lists it."""
    room = room_store().snapshot(member.session_id)
    if room is None or not raised.new:
        return
    emit_to_seats(member, support.facilitator_seats(room), "alert:new", raised.alert)
    broadcast(member, facilitators_only=True)


def event(name: str, schema: type[ma.Schema] = schemas.Empty) -> Callable[[Handler], Handler]:
    """Register `handler` for `name`: it gets the member and the loaded payload; its dict is acked."""

    def decorate(handler: Handler) -> Handler:
        EVENTS.append((name, schema, handler))
        return handler

    return decorate


def _adapter(name: str, schema: type[ma.Schema], handler: Handler) -> Callable[..., dict[str, Any]]:
    def handle(data: Any = None) -> dict[str, Any]:
        member = members().get(request.sid)
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
        except Exception:
            # The client still gets its acknowledgement, and no detail of the failure.
            db.session.rollback()
            log.exception("room event %s failed", name)
            return _error("internal", "Something went wrong; please try again.")
        return {"ok": True, **(result or {})}

    return handle


def on_connect(auth: Any = None) -> None:
    """Admit a join token or a signed-in facilitator; refuse anyone else with a reason code."""
    auth = auth if isinstance(auth, dict) else {}
    secret, now = current_app.config["SECRET_KEY"], utc_now()
    try:
        if "token" in auth:
            member = access.participant(secret, auth["token"], auth.get("session_id"), now)
        else:
            member = access.facilitator(secret, signed_in_facilitator_id(), auth.get("session_id"), now)
        seated = actions.connect(room_store(), member, now)
    except DomainError as exc:
        db.session.rollback()
        # Clients get {"message": ..., "data": {"code": ...}} as the connect error.
        raise ConnectionRefusedError(exc.message, {"code": exc.code}) from None
    members()[request.sid] = member
    _start_clock()
    join_room(seat_room(member.session_id, member.seat_id))
    if not seated:
        join_room(unseated_room(member.session_id))
    broadcast(member)


def on_disconnect(reason: object = None) -> None:
    """A dropped connection keeps its seat for the grace period; others see "reconnecting"."""
    member = members().pop(request.sid, None)
    if member is None:
        return
    # A second tab on the same seat keeps it present. Known gap: a tab on another server
    # process is not seen here, so the seat shows "reconnecting" and may expire meanwhile.
    if any(other == member for other in members().values()):
        return
    grace = current_app.config["HEARTH_RECONNECT_GRACE_SECONDS"]
    actions.disconnect(room_store(), member, grace, utc_now())
    broadcast(member)


@event("room:agree", schemas.AgreeSchema)
def on_agree(member: Member, display_name: str, mode: str) -> None:
    """Accept the agreement and wait in the lobby."""
    actions.agree(room_store(), member, display_name, mode, utc_now())
    leave_room(unseated_room(member.session_id))
    broadcast(member)


@event("room:open")
def on_open(member: Member) -> None:
    """Open the room."""
    actions.open_room(room_store(), member, utc_now())
    broadcast(member)


@event("room:lock", schemas.LockSchema)
def on_lock(member: Member, locked: bool) -> None:
    """Lock or unlock admission."""
    actions.lock(room_store(), member, locked)
    broadcast(member)


@event("room:leave")
def on_leave(member: Member) -> None:
    """Leave quietly."""
    actions.leave(room_store(), member, utc_now())
    # Nothing is announced: the seat is simply gone from the next state.
    members().pop(request.sid, None)
    leave_room(seat_room(member.session_id, member.seat_id))
    broadcast(member)


@event("lobby:admit", schemas.SeatSchema)
def on_admit(member: Member, seat_id: str) -> None:
    """Let one waiting person in."""
    actions.admit(room_store(), member, seat_id)
    broadcast(member)


@event("lobby:admit_all")
def on_admit_all(member: Member) -> dict[str, Any]:
    """Let everyone waiting in."""
    admitted = actions.admit_all(room_store(), member)
    broadcast(member)
    return {"admitted": admitted}


@event("mode:set", schemas.ModeSchema)
def on_mode(member: Member, mode: str) -> None:
    """Change how the sender takes part."""
    actions.set_mode(room_store(), member, mode, utc_now())
    broadcast(member)


@event("hand:raise")
def on_raise(member: Member) -> dict[str, Any]:
    """Raise a hand."""
    position = actions.raise_hand(room_store(), member)
    broadcast(member)
    return {"position": position}


@event("hand:lower", schemas.LowerHandSchema)
def on_lower(member: Member, seat_id: str | None = None) -> None:
    """Lower a hand."""
    actions.lower_hand(room_store(), member, seat_id)
    broadcast(member)


@event("floor:pass", schemas.PassFloorSchema)
def on_pass(member: Member, to: str | None = None) -> dict[str, Any]:
    """Pass the floor."""
    holder = actions.pass_floor(room_store(), member, to)
    broadcast(member)
    return {"floor": holder}


@event("floor:release")
def on_release(member: Member) -> None:
    """Give the floor back ("pass")."""
    actions.release_floor(room_store(), member)
    broadcast(member)


@event("floor:mode", schemas.FloorModeSchema)
def on_floor_mode(member: Member, mode: str) -> None:
    """Choose facilitated or round-robin passing."""
    actions.set_floor_mode(room_store(), member, mode)
    broadcast(member)


@event("floor:timer", schemas.ShareTimerSchema)
def on_share_timer(member: Member, seconds: int | None) -> None:
    """Set or clear the per-share timer."""
    actions.set_share_timer(room_store(), member, seconds)
    broadcast(member)


@event("seat:mute", schemas.MuteSchema)
def on_mute(member: Member, seat_id: str, muted: bool) -> None:
    """Mute or unmute one seat."""
    actions.set_muted(room_store(), member, seat_id, muted)
    broadcast(member)


@event("chat:pause", schemas.ChatPauseSchema)
def on_chat_pause(member: Member, paused: bool) -> None:
    """Pause or resume the chat."""
    actions.pause_chat(room_store(), member, paused)
    broadcast(member)


@event("floor:response", schemas.ResponseSchema)
def on_response(member: Member, preference: str) -> None:
    """Say how the floor holder would like people to respond."""
    actions.set_response(room_store(), member, preference)
    broadcast(member)


@event("reaction:send", schemas.ReactionSchema)
def on_reaction(member: Member, kind: str) -> None:
    """Send a reaction to the room."""
    audience = actions.react(room_store(), member, kind)
    emit_to_seats(member, audience, "reaction", {"seat_id": member.seat_id, "kind": kind})


@event("chat:send", schemas.ChatSchema)
def on_chat(member: Member, text: str) -> dict[str, Any]:
    """Send a chat message to the room; risk language in it alerts the facilitators first."""
    now = utc_now()
    message, audience = actions.chat(room_store(), member, text, now)
    raised = support.notice_risk(room_store(), member, message, now)
    # Chat is ephemeral: delivered, never stored (a risk alert keeps it only while the session lasts).
    emit_to_seats(member, audience, "chat:message", message)
    if raised is not None:
        # Only the facilitators and the author learn of the detection; the committed alert first.
        alert_facilitators(member, raised)
        resources = support.resources(member)[1]
        emit_to_seats(
            member, [member.seat_id], "support:resources", {"reason": "chat", "resources": resources}
        )
    return {"id": message["id"]}


@event("rtc:signal", schemas.SignalSchema)
def on_signal(member: Member, to: str, kind: str, data: dict[str, Any]) -> None:
    """Relay a WebRTC signal to one seat."""
    actions.signal(room_store(), member, to, kind, data)
    socketio_server().emit(
        "rtc:signal",
        {"from": member.seat_id, "kind": kind, "data": data},
        to=seat_room(member.session_id, to),
    )


@event("rtc:config")
def on_rtc_config(member: Member) -> dict[str, Any]:
    """Hand a seated member the ICE servers, with short-lived TURN credentials."""
    identity = actions.ice_identity(room_store(), member)
    config = current_app.config
    servers = ice_servers(
        config["HEARTH_STUN_URLS"],
        config["HEARTH_TURN_URLS"],
        config["HEARTH_TURN_SECRET"],
        config["HEARTH_TURN_TTL_SECONDS"],
        identity,
        time.time(),
    )
    return {"ice_servers": servers}


@event("presence:away")
def on_away(member: Member) -> None:
    """Step away."""
    actions.step_away(room_store(), member)
    broadcast(member)


@event("presence:back")
def on_back(member: Member) -> None:
    """Come back."""
    actions.step_back(room_store(), member)
    broadcast(member)


def register(socketio: SocketIO) -> None:
    """Attach every handler to the server `socketio` was last initialised with."""
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    for name, schema, handler in EVENTS:
        socketio.on_event(name, _adapter(name, schema, handler))
