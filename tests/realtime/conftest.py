"""A circle whose room is open for joining now, and Socket.IO test clients for its people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from socketio import packet

from service.domain.tokens import new_token, token_hash
from service.extensions import db, socketio
from service.models import CircleSession, Facilitator, Group, GroupFacilitator, Registration
from service.web.signin import remember_sign_in
from tests.api.helpers import make_group, make_session
from tests.oncall.smtp import smtp  # noqa: F401  (the fixture, for this directory's tests)


def add_session(group: Group, starts_in: timedelta) -> CircleSession:
    """A scheduled session of `group` starting `starts_in` from now."""
    return make_session(group, starts_in=starts_in)


def add_registration(
    group: Group, session: CircleSession | None = None, **fields
) -> tuple[Registration, str]:
    """An active registration of `group` (or of one session); it and its join token."""
    token = new_token()
    registration = Registration(
        organization_id=group.organization_id,
        group_id=group.id,
        session_id=session.id if session else None,
        external_ref="person-4711@example.org",
        token_hash=token_hash(token),
        **fields,
    )
    db.session.add(registration)
    db.session.commit()
    return registration, token


def add_facilitator(group: Group, name: str = "Robin") -> Facilitator:
    """A facilitator assigned to `group`."""
    person = Facilitator(
        organization_id=group.organization_id, name=name, email=f"{name.lower()}@example.org"
    )
    db.session.add(person)
    db.session.flush()
    db.session.add(GroupFacilitator(group_id=group.id, facilitator_id=person.id, role="lead"))
    db.session.commit()
    return person


@dataclass
class Circle:
    """One group, a session whose lobby is open, its facilitator and helpers to connect."""

    app: object
    group: Group
    session: CircleSession
    facilitator: Facilitator

    def join(self, token: str):
        """A participant's client, connected with a join token."""
        return socketio.test_client(self.app, flask_test_client=self.app.test_client(), auth={"token": token})

    def participant(self, name: str, mode: str = "speak"):
        """A participant who connected and accepted the agreement; client and seat id."""
        _, token = add_registration(self.group)
        client = self.join(token)
        ack = client.emit("room:agree", {"display_name": name, "mode": mode}, callback=True)
        assert ack == {"ok": True}, ack
        return client, peek_state(client)["you"]["seat_id"]

    def host(self, person: Facilitator | None = None):
        """A signed-in facilitator's client: the circle's own, or `person`."""
        flask_client = self.app.test_client()
        with flask_client.session_transaction() as cookie:
            remember_sign_in(cookie, person or self.facilitator)
        return socketio.test_client(
            self.app, flask_test_client=flask_client, auth={"session_id": str(self.session.id)}
        )

    def admitted(self, name: str, host, mode: str = "speak"):
        """A participant the facilitator has admitted to the open room; client and seat id."""
        client, seat_id = self.participant(name, mode)
        assert host.emit("lobby:admit", {"seat_id": seat_id}, callback=True) == {"ok": True}
        return client, seat_id


@pytest.fixture
def circle(app, org, room_store) -> Circle:
    """A circle whose lobby is open, on the app's room store (both stores for `both_stores` tests)."""
    group = make_group(org.id, lobby_opens_minutes=10)
    session = add_session(group, timedelta(minutes=5))
    return Circle(app=app, group=group, session=session, facilitator=add_facilitator(group))


def received(client, name: str) -> list:
    """The payloads of every `name` event the client got since last asked."""
    return [event["args"][0] for event in client.get_received() if event["name"] == name]


def held_state(events: list) -> dict:
    """The room as the browser's RoomStore holds it after `events`: the last room:state, with the
    seats that seat:joined told of after it (a seat it already lists is left as it was)."""
    names = [event["name"] for event in events]
    assert "room:state" in names, "no room:state received"
    last = len(names) - 1 - names[::-1].index("room:state")
    state = events[last]["args"][0]
    for event in events[last + 1 :]:
        seat = event["args"][0]["seat"] if event["name"] == "seat:joined" else None
        if seat is not None and seat["seat_id"] not in {known["seat_id"] for known in state["seats"]}:
            state = {**state, "seats": [*state["seats"], seat]}
    return state


def peek_state(client) -> dict:
    """The room as the client holds it now, leaving its inbox as it is."""
    return held_state(client.queue)


def last_state(client) -> dict:
    """The room as the client holds it now (clears its inbox)."""
    return held_state(client.get_received())


def refusal(app, auth: dict, flask_test_client=None) -> dict:
    """The CONNECT_ERROR data a connection with `auth` is refused with."""
    client = socketio.test_client(app, auth=auth, flask_test_client=flask_test_client)
    assert not client.is_connected()
    sent = []
    original = socketio.server._send_packet

    def record(eio_sid, pkt):
        sent.append(pkt)
        original(eio_sid, pkt)

    socketio.server._send_packet = record
    try:
        client.connect(auth=auth)
    finally:
        socketio.server._send_packet = original
    errors = [pkt.data for pkt in sent if pkt.packet_type == packet.CONNECT_ERROR]
    assert errors, "the connection was not refused"
    assert errors[-1]["message"]
    return errors[-1]["data"]
