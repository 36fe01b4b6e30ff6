"""From Socket.IO events to `service.live`: the member behind a connection, payload checks, one error shape.

Handlers only validate and call one action; the action tells the room (after its commit).
"""

from __future__ import annotations

import logging
from collections import Counter, UserDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from flask import current_app, request

from service.domain.errors import DomainError
from service.extensions import db
from service.live import limits
from service.live.access import Member
from service.live.runtime import room_store
from service.realtime import schemas

log = logging.getLogger("hearth.realtime")
Handler = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Event:
    """One client → server event: its name, the schema of its payload and its handler."""

    name: str
    schema: type[ma.Schema]
    handler: Handler


class Events:
    """The events of one topic, registered on the server from `service.realtime.EVENT_GROUPS`."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def on(self, name: str, schema: type[ma.Schema] = schemas.Empty) -> Callable[[Handler], Handler]:
        """Handle `name`: the handler gets the member and the loaded payload; its dict is acked."""

        def decorate(handler: Handler) -> Handler:
            self.events.append(Event(name, schema, handler))
            return handler

        return decorate


class Connections(UserDict[str, Member]):
    """Which member each connection of this process speaks for, counted per seat and per member.

    The counts answer "how many connections does this seat hold here" on every connect and
    disconnect without going through every connection of the process.
    """

    def __init__(self) -> None:
        super().__init__()
        self._per_seat: Counter[tuple[str, str]] = Counter()
        self._per_member: Counter[Member] = Counter()

    def __setitem__(self, sid: str, member: Member) -> None:
        if sid in self.data:
            self._forget(self.data[sid])
        self.data[sid] = member
        self._per_seat[(member.session_id, member.seat_id)] += 1
        self._per_member[member] += 1

    def __delitem__(self, sid: str) -> None:
        self._forget(self.data.pop(sid))

    def _forget(self, member: Member) -> None:
        for counter, key in (
            (self._per_seat, (member.session_id, member.seat_id)),
            (self._per_member, member),
        ):
            counter[key] -= 1
            if counter[key] <= 0:
                del counter[key]

    def open_on_seat(self, member: Member) -> int:
        """How many connections of this process speak for the member's seat."""
        return self._per_seat[(member.session_id, member.seat_id)]

    def holds(self, member: Member) -> bool:
        """Whether a connection of this process still speaks for exactly this member."""
        return self._per_member[member] > 0


def members() -> Connections:
    """Which member each connection of this process speaks for."""
    return current_app.extensions["hearth_members"]


def departed() -> dict[str, Member]:
    """Members of connections that closed a moment ago, for a "leave" sent just before closing."""
    return current_app.extensions["hearth_departed"]


# Events a client may send and then close at once ("Exit now"): handled even if the close won.
AFTER_CLOSE = ("room:leave",)


def utc_now() -> datetime:
    return datetime.now(UTC)


def seat_room(session_id: str, seat_id: str) -> str:
    """The Socket.IO room of one seat's connections."""
    return f"{session_id}/seat/{seat_id}"


def unseated_room(session_id: str) -> str:
    """The Socket.IO room of a session's connections that have not taken a seat yet."""
    return f"{session_id}/unseated"


def error(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """The acknowledgement of a refused event."""
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"ok": False, "error": body}


def adapt(event: Event) -> Callable[..., dict[str, Any]]:
    """The Socket.IO handler of `event`: find the member, load the payload, call, acknowledge."""
    # One schema per event for the process's life: building one per message cost more than loading.
    schema = event.schema()

    def handle(data: Any = None) -> dict[str, Any]:
        member = members().get(request.sid)
        if member is None and event.name in AFTER_CLOSE:
            member = departed().pop(request.sid, None)
        if member is None:
            return error("not_connected", "Connect to a room first.")
        try:
            values = schema.load({} if data is None else data)
        except ma.ValidationError as exc:
            return error("invalid", "The payload is not valid.", exc.messages)
        try:
            limits.count_event(room_store(), member, event.name)
            result = event.handler(member, **values)
        except DomainError as exc:
            db.session.rollback()
            return error(exc.code, exc.message, exc.fields)
        except Exception:
            # The client still gets its acknowledgement, and no detail of the failure.
            db.session.rollback()
            log.exception("room event %s failed", event.name)
            return error("internal", "Something went wrong; please try again.")
        return {"ok": True, **(result or {})}

    return handle
