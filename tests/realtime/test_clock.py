"""The room's clock: a warning before the end, and the end when the time is over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.extensions import db
from service.models import Attendance, CircleSession
from tests.realtime.conftest import received
from tests.realtime.ticks import clock_tick

# The once-only warning is a flag in the room store, shared by every server process.
pytestmark = pytest.mark.both_stores


def live_circle(circle, ends_in: timedelta):
    """The circle's room opened by its facilitator, with one participant admitted, ending in `ends_in`."""
    host = circle.host()
    host.emit("room:open", callback=True)
    sam, _ = circle.admitted("Sam", host)
    circle.session.ends_at = datetime.now(UTC) + ends_in
    db.session.commit()
    return host, sam


def test_the_room_is_warned_once_before_its_end(circle):
    host, sam = live_circle(circle, timedelta(minutes=3))
    clock_tick()
    clock_tick()
    expected = {"session_id": str(circle.session.id), "ends_at": circle.session.ends_at.isoformat()}
    assert received(sam, "room:ending") == [expected]
    assert received(host, "room:ending") == [expected]
    assert db.session.get(CircleSession, circle.session.id).status == "live"


def test_a_room_far_from_its_end_is_left_alone(circle):
    _, sam = live_circle(circle, timedelta(minutes=30))
    sam.get_received()
    clock_tick()
    assert sam.get_received() == []


def test_the_session_ends_when_its_time_is_over(circle):
    _, sam = live_circle(circle, timedelta(seconds=-1))
    clock_tick()
    clock_tick()
    assert received(sam, "room:ended") == [{"session_id": str(circle.session.id)}]
    db.session.expire_all()
    assert db.session.get(CircleSession, circle.session.id).status == "ended"
    assert all(row.left_at is not None for row in db.session.execute(db.select(Attendance)).scalars())
    ack = sam.emit("hand:raise", callback=True)
    assert ack["error"]["code"] == "room_not_open"
