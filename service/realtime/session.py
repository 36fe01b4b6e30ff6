"""Socket.IO adapters of `service.live.session`: connecting, opening, locking, admitting, ending."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, join_room

from service.domain import facilitators
from service.domain.errors import DomainError
from service.extensions import db, socketio
from service.i18n import supported
from service.live import access, limits, notify, session
from service.live.access import Member
from service.live.runtime import room_store, seat_secret
from service.realtime import schemas
from service.realtime.adapter import Events, departed, members, seat_room, unseated_room, utc_now
from service.web.language import CHOICE_COOKIE
from service.web.signin import signed_in_facilitator

events = Events()


def on_connect(auth: Any = None) -> None:
    """Admit a join token or a signed-in facilitator; refuse anyone else with a reason code."""
    auth = auth if isinstance(auth, dict) else {}
    now = utc_now()
    try:
        if "token" in auth:
            member = access.participant(seat_secret(), auth["token"], auth.get("session_id"), now)
        else:
            facilitator = signed_in_facilitator()
            member = access.facilitator(
                seat_secret(), facilitator.id if facilitator else None, auth.get("session_id"), now
            )
        # What the server says in words follows the person's own choice of language, as pages do.
        chosen = supported(request.cookies.get(CHOICE_COOKIE))
        if chosen:
            member = replace(member, language=chosen)
        limits.count_connection(room_store(), member, members().open_on_seat(member))
        seated = session.connect(room_store(), member, now)
    except DomainError as exc:
        db.session.rollback()
        # Clients get {"message": ..., "data": {"code": ...}} as the connect error.
        raise ConnectionRefusedError(exc.message, {"code": exc.code}) from None
    members()[request.sid] = member
    join_room(seat_room(member.session_id, member.seat_id))
    if not seated:
        join_room(unseated_room(member.session_id))
    # Everyone else saw the room change; this connection joined its rooms just now.
    notify.installed().state_to(request.sid, member)


def on_disconnect(reason: object = None) -> None:
    """A dropped connection keeps its seat for the grace period; others see "reconnecting"."""
    member = members().pop(request.sid, None)
    if member is None:
        return
    # Events are handled as they come, so a "leave" sent just before closing may arrive after this.
    forget_departed_but_the_last()
    departed()[request.sid] = member
    # A second tab on the same seat keeps it present. Known gap: a tab on another server
    # process is not seen here, so the seat shows "reconnecting" and may expire meanwhile.
    if members().holds(member):
        return
    grace = current_app.config["HEARTH_RECONNECT_GRACE_SECONDS"]
    session.disconnect(room_store(), member, grace, utc_now())


# How many closed connections are remembered for a "leave" that comes after the close.
DEPARTED_KEPT = 256


def forget_departed_but_the_last() -> None:
    """Keep the memory of closed connections small: only the most recent ones matter."""
    kept = departed()
    while len(kept) >= DEPARTED_KEPT:
        kept.pop(next(iter(kept)))


def drop_signed_out() -> int:
    """Disconnect this process's facilitator connections whose sign-in has ended; how many."""
    connected = {sid: member for sid, member in members().items() if member.facilitator_id is not None}
    versions = {member.facilitator_id: member.sign_in_version for member in connected.values()}
    over = facilitators.signed_out(versions) if versions else set()
    for sid, member in connected.items():
        if member.facilitator_id in over:
            del members()[sid]
            socketio.emit("room:removed", {"reason": "signed_out"}, to=sid, ignore_queue=True)
            socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
            session.disconnect(room_store(), member, 0, utc_now())
    return sum(1 for member in connected.values() if member.facilitator_id in over)


@events.on("room:open")
def on_open(member: Member) -> None:
    """Open the room."""
    session.open_room(room_store(), member, utc_now())


@events.on("room:lock", schemas.LockSchema)
def on_lock(member: Member, locked: bool) -> None:
    """Lock or unlock admission."""
    session.lock(room_store(), member, locked)


@events.on("lobby:admit", schemas.SeatSchema)
def on_admit(member: Member, seat_id: str) -> None:
    """Let one waiting person in."""
    session.admit(room_store(), member, seat_id)


@events.on("lobby:admit_all")
def on_admit_all(member: Member) -> dict[str, Any]:
    """Let everyone waiting in."""
    return {"admitted": session.admit_all(room_store(), member)}


@events.on("room:end", schemas.EndSchema)
def on_end(member: Member, notice: bool) -> None:
    """End the session now, or in two minutes with `notice`."""
    if notice:
        session.end_with_notice(room_store(), member, utc_now())
    else:
        session.end_room(room_store(), member, utc_now())
