"""What seating a person costs the database, and the support alerts the facilitators' view keeps."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from service.extensions import db
from service.live import access
from service.live.runtime import room_store, seat_secret
from service.realtime.adapter import Connections, utc_now
from service.rooms.state import Room
from tests.realtime.conftest import add_registration, last_state, peek_state

pytestmark = pytest.mark.both_stores


@contextmanager
def statements() -> Iterator[Counter]:
    """The SQL statements run meanwhile, by the table each reads or writes first."""
    seen: Counter = Counter()

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            seen[statement.split()[0]] += 1
            seen["support_alerts"] += "FROM support_alerts" in statement

    engine = db.session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def host(circle):
    client = circle.host()
    assert client.emit("room:open", callback=True) == {"ok": True}
    return client


def test_an_arrival_in_a_room_without_alerts_never_reads_them(circle, host):
    _, token = add_registration(circle.group)
    with statements() as connecting:
        sam = circle.join(token)
    with statements() as agreeing:
        ack = sam.emit("room:agree", {"display_name": "Sam", "mode": "listen_only"}, callback=True)
    with statements() as admitting:
        assert host.emit("lobby:admit_all", callback=True)["admitted"] == [peek_state(sam)["you"]["seat_id"]]

    assert ack == {"ok": True}
    assert last_state(sam)["you"]["where"] == "room"
    assert last_state(host)["alerts"] == []
    assert [counted["support_alerts"] for counted in (connecting, agreeing, admitting)] == [0, 0, 0]
    # The link, then the session with its group and any removal; the link still valid and the
    # attendance row looked for, then written with the agreement's version; the audit entry.
    assert (connecting["SELECT"], agreeing["SELECT"], admitting["SELECT"]) == (2, 2, 0)
    assert (agreeing["INSERT"], admitting["INSERT"]) == (1, 1)


def test_an_alert_raised_after_the_room_found_none_is_listed_at_once(circle, host):
    sam, _ = circle.admitted("Sam", host)
    assert last_state(host)["alerts"] == []

    alert_id = sam.emit("support:request", callback=True)["alert_id"]

    assert [alert["id"] for alert in last_state(host)["alerts"]] == [alert_id]
    assert host.emit("room:lock", {"locked": True}, callback=True) == {"ok": True}
    assert [alert["id"] for alert in last_state(host)["alerts"]] == [alert_id]


def test_a_room_that_forgot_its_alerts_learns_them_again_from_the_database(circle, host):
    sam, _ = circle.admitted("Sam", host)
    alert_id = sam.emit("support:request", callback=True)["alert_id"]
    # As after a restart of a store in memory: the room is there again, knowing nothing.
    room_store().change(str(circle.session.id), lambda room: setattr(room, "has_alerts", None))

    back = circle.host()

    assert [alert["id"] for alert in last_state(back)["alerts"]] == [alert_id]
    assert room_store().snapshot(str(circle.session.id))["has_alerts"] is True


def test_a_room_that_learnt_it_has_no_alerts_keeps_that_until_one_is_raised(circle, host):
    session_id = str(circle.session.id)
    assert room_store().snapshot(session_id)["has_alerts"] is False
    sam, _ = circle.admitted("Sam", host)
    sam.emit("support:request", callback=True)
    assert room_store().snapshot(session_id)["has_alerts"] is True
    room_store().change(session_id, Room.learn_alerts, False)
    assert room_store().snapshot(session_id)["has_alerts"] is True


def test_someone_connecting_without_a_seat_sends_nobody_else_a_state(circle, host):
    sam, _ = circle.admitted("Sam", host)
    host.get_received()
    sam.get_received()
    _, token = add_registration(circle.group)

    newcomer = circle.join(token)

    assert last_state(newcomer)["you"] is None
    assert [event["name"] for event in host.get_received() + sam.get_received()] == []


def test_a_seat_whose_grace_passed_goes_when_someone_connects_and_the_room_is_told(
    app, circle, host, monkeypatch
):
    app.config["HEARTH_RECONNECT_GRACE_SECONDS"] = 60
    sam, sam_seat = circle.admitted("Sam", host)
    sam.disconnect()
    assert sam_seat in [seat["seat_id"] for seat in last_state(host)["seats"]]
    _, token = add_registration(circle.group)
    store = room_store()
    monkeypatch.setattr(store, "clock", lambda now=store.clock: now() + 61)

    circle.join(token)

    assert sam_seat not in [seat["seat_id"] for seat in last_state(host)["seats"]]


def test_the_connections_of_a_process_are_counted_per_seat_and_member(circle):
    connections = Connections()
    _, token = add_registration(circle.group)
    sam = access.participant(seat_secret(), token, None, utc_now())
    other_link = dataclasses.replace(sam, link_hash="another")
    connections["a"], connections["b"], connections["c"] = sam, sam, other_link
    assert (connections.open_on_seat(sam), connections.holds(sam)) == (3, True)
    del connections["a"]
    connections.pop("b")
    assert (connections.open_on_seat(sam), connections.holds(sam)) == (1, False)
    assert connections.holds(other_link)
    connections["c"] = sam  # the same connection, now speaking for another member
    assert (connections.open_on_seat(sam), connections.holds(other_link)) == (1, False)
    connections.update({"d": sam})
    assert (len(connections), connections.open_on_seat(sam), connections.holds(sam)) == (2, 2, True)
