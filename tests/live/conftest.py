"""The room's rules called directly: a memory store, a recording notifier, members made by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from service.live import access, notify
from service.live.access import Member
from service.rooms import MemoryRoomStore
from tests.api.helpers import make_group, make_session
from tests.realtime.conftest import add_facilitator, add_registration


@dataclass
class Recorder:
    """A notifier that writes down what it is told, in order."""

    told: list[tuple] = field(default_factory=list)

    def room_changed(self, context: Member, facilitators_only: bool) -> None:
        self.told.append(("room_changed", context.session_id, facilitators_only))

    def send(self, session_id, seat_ids, event, payload) -> None:
        self.told.append(("send", event, None if seat_ids is None else list(seat_ids)))

    def seat_removed(self, session_id, seat_id, reason) -> None:
        self.told.append(("seat_removed", seat_id, reason))

    def seat_joined(self, member: Member) -> None:
        self.told.append(("seat_joined", member.seat_id))


@pytest.fixture
def told(app) -> list[tuple]:
    recorder = Recorder()
    notify.install(app, recorder)
    return recorder.told


@pytest.fixture
def store() -> MemoryRoomStore:
    return MemoryRoomStore()


@dataclass
class People:
    host: Member
    sam: Member


@pytest.fixture
def people(app, org) -> People:
    """A facilitator and a participant of a session whose lobby is open."""
    group = make_group(org.id, lobby_opens_minutes=10)
    session = make_session(group, starts_in=timedelta(minutes=5))
    facilitator = add_facilitator(group)
    _, token = add_registration(group)
    now, secret = datetime.now(UTC), app.config["SECRET_KEY"]
    host = access.facilitator(secret, facilitator.id, str(session.id), now)
    sam = access.participant(secret, token, None, now)
    return People(host=host, sam=sam)
