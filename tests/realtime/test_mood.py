"""Check-in and check-out: private ratings on the participant's own attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.extensions import db
from service.live.mood import earlier_ratings
from service.models import Attendance
from tests.realtime.acks import emit
from tests.realtime.conftest import add_registration, add_session


def attendance() -> Attendance:
    db.session.expire_all()
    return db.session.execute(
        db.select(Attendance).where(Attendance.registration_id.is_not(None))
    ).scalar_one()


def test_check_in_and_out_are_kept_privately_with_the_attendance(circle):
    host = circle.host()
    sam, _ = circle.participant("Sam")
    other, _ = circle.participant("Ari")
    host.get_received(), other.get_received()
    assert emit(sam, "mood:check_in", {"rating": 2}) == {"ok": True}
    assert emit(sam, "mood:check_out", {"rating": 4}) == {"ok": True}
    row = db.session.execute(
        db.select(Attendance).where(Attendance.check_in_rating.is_not(None))
    ).scalar_one()
    assert (row.check_in_rating, row.check_out_rating) == (2, 4)
    assert host.get_received() == [] and other.get_received() == [], "nobody else is told anything"


def test_a_new_answer_replaces_the_last_and_check_out_may_come_just_before_leaving(circle):
    sam, _ = circle.participant("Sam")
    assert emit(sam, "mood:check_in", {"rating": 1}) == {"ok": True}
    assert emit(sam, "mood:check_in", {"rating": 3}) == {"ok": True}
    assert emit(sam, "mood:check_out", {"rating": 5}) == {"ok": True}
    assert emit(sam, "room:leave") == {"ok": True}
    row = attendance()
    assert (row.check_in_rating, row.check_out_rating) == (3, 5)
    assert row.left_at is not None


@pytest.mark.parametrize("event", ["mood:check_in", "mood:check_out"])
def test_facilitators_are_refused(circle, event):
    host = circle.host()
    ack = emit(host, event, {"rating": 3})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    assert db.session.execute(db.select(Attendance.check_in_rating, Attendance.check_out_rating)).all() == [
        (None, None)
    ]


@pytest.mark.parametrize(
    "payload",
    [
        {"rating": 0},
        {"rating": 6},
        {"rating": "3"},
        {"rating": 3.5},
        {"rating": True},
        {},
        {"rating": 3, "x": 1},
    ],
)
def test_invalid_ratings_are_refused_and_change_nothing(circle, payload):
    sam, _ = circle.participant("Sam")
    ack = emit(sam, "mood:check_in", payload)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    assert attendance().check_in_rating is None


def test_someone_not_seated_is_refused(circle):
    _, token = add_registration(circle.group)
    client = circle.join(token)
    ack = emit(client, "mood:check_in", {"rating": 3})
    assert ack["ok"] is False and ack["error"]["code"] == "no_such_seat"
    assert db.session.execute(db.select(Attendance)).all() == []


def test_a_person_sees_only_their_own_earlier_ratings(circle):
    registration, token = add_registration(circle.group)
    sam = circle.join(token)
    emit(sam, "room:agree", {"display_name": "Sam", "mode": "listen_only"})
    emit(sam, "mood:check_in", {"rating": 2})
    emit(sam, "mood:check_out", {"rating": 4})
    other, _ = circle.participant("Ari")
    emit(other, "mood:check_in", {"rating": 5})
    later = add_session(circle.group, timedelta(days=7))

    earlier = earlier_ratings(registration.id, later.starts_at)
    assert [(e.check_in, e.check_out) for e in earlier] == [(2, 4)]
    assert earlier_ratings(registration.id, circle.session.starts_at) == [], "not the session itself"
