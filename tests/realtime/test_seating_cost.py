"""What seating a person costs the database and the connections; the support alerts the facilitators see."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from service.domain.tokens import new_token, token_hash
from service.extensions import db
from service.live import access
from service.live.runtime import room_store, seat_secret
from service.models import Attendance, SessionRemoval
from service.realtime.adapter import Connections, utc_now
from service.rooms.state import Room
from tests.realtime.conftest import add_facilitator, add_registration, last_state, peek_state

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
    # The link with its session, the session's group and any removal; the attendance row written
    # (or taken up again) with the agreement's version in one upsert that checks the link is still
    # valid; the audit entry.
    assert (connecting["SELECT"], agreeing["SELECT"], admitting["SELECT"]) == (1, 0, 0)
    assert (agreeing["INSERT"], admitting["INSERT"]) == (1, 1)


@pytest.mark.parametrize("change", ["removed", "revoked", "replaced"])
def test_an_agreement_after_the_link_stopped_admitting_writes_nothing_and_says_why(circle, host, change):
    registration, token = add_registration(circle.group)
    sam = circle.join(token)
    if change == "removed":
        db.session.add(
            SessionRemoval(
                session_id=circle.session.id,
                registration_id=registration.id,
                organization_id=registration.organization_id,
            )
        )
    elif change == "revoked":
        registration.token_revoked_at = utc_now()
    else:
        registration.token_hash = token_hash(new_token())
    db.session.commit()
    host_seat = last_state(host)["you"]["seat_id"]

    with statements() as agreeing:
        ack = sam.emit("room:agree", {"display_name": "Sam", "mode": "listen_only"}, callback=True)

    assert ack["error"]["code"] == ("removed" if change == "removed" else "invalid_token")
    # The upsert that wrote nothing, then the check that says why.
    assert (agreeing["INSERT"], agreeing["SELECT"]) == (1, 1)
    rows = db.session.execute(sa.select(Attendance).where(Attendance.registration_id == registration.id))
    assert rows.scalars().all() == []
    assert room_store().snapshot(str(circle.session.id))["seats"].keys() == {host_seat}
    assert host.get_received() == []


def test_a_departure_writes_its_time_in_one_statement(circle, host):
    registration, token = add_registration(circle.group)
    sam = circle.join(token)
    assert sam.emit("room:agree", {"display_name": "Sam", "mode": "speak"}, callback=True) == {"ok": True}
    with statements() as leaving:
        assert sam.emit("room:leave", callback=True) == {"ok": True}
    assert (leaving["SELECT"], leaving["UPDATE"]) == (0, 1)
    row = db.session.execute(sa.select(Attendance).where(Attendance.registration_id == registration.id))
    assert row.scalar_one().left_at is not None


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


def test_an_arrival_in_a_room_of_eight_sends_the_whole_room_once_and_the_facilitators_its_seat(circle, host):
    co_host = circle.host(add_facilitator(circle.group, "Kim"))
    others = [circle.admitted(f"Person {number}", host)[0] for number in range(6)]
    _, token = add_registration(circle.group)
    newcomer = circle.join(token)
    for client in (host, co_host, *others, newcomer):
        client.get_received()

    assert newcomer.emit("room:agree", {"display_name": "Sam", "mode": "camera_off"}, callback=True) == {
        "ok": True
    }

    mine = newcomer.get_received()
    assert [event["name"] for event in mine] == ["room:state"]
    seat_id = mine[0]["args"][0]["you"]["seat_id"]
    told = [facilitator.get_received() for facilitator in (host, co_host)]
    # Nobody in the room sees who waits in the lobby: nothing changed for them, nothing is sent.
    assert [event for client in others for event in client.get_received()] == []
    # Exactly the seat a full state lists, in the same place: after everyone already there.
    fresh = last_state(circle.host())["seats"]
    assert fresh[-1]["seat_id"] == seat_id and fresh[-1]["where"] == "lobby"
    for got in told:
        assert [(event["name"], event["args"][0]) for event in got] == [("seat:joined", {"seat": fresh[-1]})]


def test_a_person_arriving_again_has_one_attendance_row_written_in_one_statement_each_time(circle, host):
    registration, token = add_registration(circle.group)
    sam = circle.join(token)
    with statements() as first:
        assert sam.emit("room:agree", {"display_name": "Sam", "mode": "speak"}, callback=True) == {"ok": True}
    assert sam.emit("room:leave", callback=True) == {"ok": True}
    sam.disconnect()
    again = circle.join(token)
    with statements() as second:
        ack = again.emit("room:agree", {"display_name": "Sam", "mode": "listen_only"}, callback=True)
    host.disconnect()
    circle.host()

    assert ack == {"ok": True}
    assert [(counted["INSERT"], counted["UPDATE"]) for counted in (first, second)] == [(1, 0), (1, 0)]
    db.session.expire_all()
    rows = (
        db.session.execute(db.select(Attendance).where(Attendance.session_id == circle.session.id))
        .scalars()
        .all()
    )
    mine = [row for row in rows if row.registration_id == registration.id]
    assert len(mine) == 1 and len(rows) == 2  # Sam's, and the facilitator's though they came twice
    assert (mine[0].mode, mine[0].left_at, mine[0].agreement_version) == ("listen_only", None, 1)
    assert mine[0].joined_at < mine[0].agreement_accepted_at
