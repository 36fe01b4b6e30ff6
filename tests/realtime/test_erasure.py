"""Erasing a person who sits in a live room takes them out at once, as removing them does."""

from __future__ import annotations

from service.extensions import db
from service.models import Attendance, AuditEntry, Registration
from tests.realtime.conftest import last_state, refusal
from tests.realtime.test_moderation_api import host, joined, told  # noqa: F401 (host is a fixture)


def test_an_erased_person_in_a_live_room_is_taken_out_at_once(app, org, circle, host):  # noqa: F811
    sam, registration, token = joined(circle, host)
    seat_id = last_state(sam)["you"]["seat_id"]
    assert db.session.execute(
        db.select(Attendance).where(Attendance.registration_id == registration.id)
    ).all()

    response = org.post(f"/api/v1/registrations/{registration.id}/erase")
    assert response.status_code == 200, response.json
    assert told(sam, "room:removed") == [{"reason": "removed"}]
    assert not sam.is_connected()
    assert all(seat["seat_id"] != seat_id for seat in last_state(host)["seats"])
    assert refusal(app, {"token": token})["code"] == "invalid_token"
    assert db.session.get(Registration, registration.id) is None
    assert (
        db.session.execute(db.select(Attendance).where(Attendance.registration_id == registration.id)).all()
        == []
    )
    # The room's audit log notes a removal, by the organization, of a seat that now leads to nobody.
    entry = db.session.execute(db.select(AuditEntry).where(AuditEntry.action == "seat:remove")).scalar_one()
    assert (entry.actor_kind, entry.target_seat_id, entry.detail) == (
        "organization",
        seat_id,
        {"cause": "person_erased"},
    )
