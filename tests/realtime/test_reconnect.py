"""A dropped participant keeps their seat for the grace period."""

from __future__ import annotations

import pytest

from service.extensions import db
from service.models import Attendance
from tests.realtime.conftest import add_registration, last_state

# A dropped seat's grace deadline is kept by the room store.
pytestmark = pytest.mark.both_stores


def seat(state: dict, seat_id: str) -> dict:
    return next(s for s in state["seats"] if s["seat_id"] == seat_id)


def test_a_dropped_participant_returns_to_the_same_seat_and_hand_position(circle):
    host = circle.host()
    host.emit("room:open", callback=True)
    ash, _ash_seat = circle.admitted("Ash", host)
    _, token = add_registration(circle.group)
    sam = circle.join(token)
    sam.emit("room:agree", {"display_name": "Sam", "mode": "camera_off"}, callback=True)
    sam_seat = last_state(sam)["you"]["seat_id"]
    host.emit("lobby:admit", {"seat_id": sam_seat}, callback=True)
    ash.emit("hand:raise", callback=True)
    sam.emit("hand:raise", callback=True)
    ash.emit("hand:raise", callback=True)

    sam.disconnect()
    dropped = seat(last_state(ash), sam_seat)
    assert dropped["presence"] == "reconnecting"
    assert dropped["hand"] == 1
    left = db.session.execute(db.select(Attendance).where(Attendance.registration_id.is_not(None)))
    assert all(row.left_at is not None for row in left.scalars() if row.mode == "camera_off")

    back = circle.join(token)
    you = last_state(back)["you"]
    assert (you["seat_id"], you["display_name"], you["mode"], you["where"], you["hand"]) == (
        sam_seat,
        "Sam",
        "camera_off",
        "room",
        1,
    )
    assert you["presence"] == "connected"
    assert seat(last_state(host), sam_seat)["presence"] == "connected"
    assert back.emit("hand:lower", callback=True) == {"ok": True}


def test_after_the_grace_period_the_seat_is_gone(app, circle):
    app.config["HEARTH_RECONNECT_GRACE_SECONDS"] = 0
    host = circle.host()
    _, token = add_registration(circle.group)
    sam = circle.join(token)
    sam.emit("room:agree", {"display_name": "Sam", "mode": "speak"}, callback=True)
    sam.disconnect()
    back = circle.join(token)
    assert last_state(back)["you"] is None
    assert all(s["display_name"] != "Sam" for s in last_state(host)["seats"])


def test_others_stop_seeing_a_seat_once_its_grace_has_passed(app, circle):
    app.config["HEARTH_RECONNECT_GRACE_SECONDS"] = 0
    host = circle.host()
    sam, sam_seat = circle.participant("Sam")
    sam.disconnect()
    assert host.emit("room:lock", {"locked": False}, callback=True) == {"ok": True}
    assert all(s["seat_id"] != sam_seat for s in last_state(host)["seats"])


def test_closing_one_of_two_tabs_keeps_the_seat_present(circle):
    host = circle.host()
    _, token = add_registration(circle.group)
    first = circle.join(token)
    first.emit("room:agree", {"display_name": "Sam", "mode": "speak"}, callback=True)
    sam_seat = last_state(first)["you"]["seat_id"]
    second = circle.join(token)
    assert last_state(second)["you"]["seat_id"] == sam_seat
    first.disconnect()
    assert second.emit("presence:away", callback=True) == {"ok": True}
    assert seat(last_state(host), sam_seat)["presence"] == "connected"
