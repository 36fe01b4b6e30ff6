"""A person's data: exported and erased through the API, within the organization, aggregates intact."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from service.domain import outbox
from service.domain.check_ins import last_complete_month
from service.domain.people import ERASED_PSEUDONYM
from service.domain.tokens import new_token, token_hash
from service.extensions import db
from service.models import (
    AnonymousRating,
    Attendance,
    Erasure,
    Incident,
    IncidentNote,
    Registration,
    SessionRemoval,
    SupportAlert,
    WebhookDelivery,
    WebhookEvent,
    utcnow,
)
from tests.api.attendance_rows import attend
from tests.api.helpers import make_group, make_session
from tests.api.test_incidents import add_incident
from tests.webhooks.conftest import add_endpoint

REF = "person-4711@example.org"


def add_registration(group, *, external_ref: str = REF, status: str = "active"):
    """A seat in every session of `group` for the person with this reference."""
    registration = Registration(
        organization_id=group.organization_id,
        group_id=group.id,
        external_ref=external_ref,
        status=status,
        token_hash=token_hash(new_token()),
    )
    db.session.add(registration)
    db.session.commit()
    return registration


def _ended_last_month(group):
    """An ended session in the latest settled month, whose figures aggregates may show."""
    month = last_complete_month(utcnow())
    return make_session(
        group, starts_in=month.start() + timedelta(days=9, hours=18) - utcnow(), status="ended"
    )


def _person(org, group, session, *, external_ref: str = REF):
    """A person who came to `session` and rated it, raised an alert, and was the subject of an incident."""
    row = attend(session, external_ref=external_ref, check_in=2, check_out=4)
    registration = row.registration
    incident = add_incident(org, session)
    # The alert nobody in the room took became this incident.
    db.session.add(_alert(org, session, registration, incident_id=incident.id))
    db.session.add(
        SessionRemoval(session_id=session.id, registration_id=registration.id, organization_id=org.id)
    )
    incident.registration_id = registration.id
    incident.external_ref = external_ref
    db.session.add(IncidentNote(incident_id=incident.id, text="Called back, they are safe."))
    db.session.commit()
    return registration, incident


def _alert(org, session, registration, incident_id=None) -> SupportAlert:
    return SupportAlert(
        organization_id=org.id,
        session_id=session.id,
        registration_id=registration.id,
        seat_id="p-seat",
        display_name="Sam",
        kind="support_request",
        incident_id=incident_id,
        # Waiting on the room's chain, as every alert raised in a room does until taken or escalated.
        stage_started_at=utcnow(),
    )


def _subscribe(org) -> None:
    add_endpoint(org.id, event_types=["incident.created", "registration.created"])


def test_a_registration_exports_everything_kept_about_its_person(org, other_org):
    group = make_group(org.id)
    session = _ended_last_month(group)
    registration, incident = _person(org, group, session)
    someone_else, _ = _person(org, group, session, external_ref="person-0815")

    response = org.get(f"/api/v1/registrations/{registration.id}/export")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["external_ref"] is None
    assert [r["id"] for r in body["registrations"]] == [str(registration.id)]
    assert body["registrations"][0]["external_ref"] == REF
    [row] = body["attendance"]
    assert (row["session_id"], row["group_id"]) == (str(session.id), str(group.id))
    assert (row["check_in_rating"], row["check_out_rating"]) == (2, 4)
    [alert] = body["support_alerts"]
    assert (alert["display_name"], alert["kind"]) == ("Sam", "support_request")
    [exported] = body["incidents"]
    assert exported["id"] == str(incident.id)
    assert [note["text"] for note in exported["notes"]] == ["Called back, they are safe."]
    assert str(someone_else.id) not in json.dumps(body)

    assert other_org.get(f"/api/v1/registrations/{registration.id}/export").status_code == 404
    assert other_org.post(f"/api/v1/registrations/{registration.id}/erase").status_code == 404
    assert db.session.get(Registration, registration.id) is not None


def test_a_reference_exports_every_registration_and_incidents_whose_registration_is_gone(org, other_org):
    first, second = make_group(org.id), make_group(org.id)
    one = add_registration(first)
    two = add_registration(second)
    add_registration(first, external_ref="person-0815")
    orphan = add_incident(org)  # its registration was purged: only the reference remains

    body = org.post("/api/v1/people/export", json={"external_ref": f"  {REF} "}).json
    assert body["external_ref"] == REF
    assert [r["id"] for r in body["registrations"]] == [str(one.id), str(two.id)]
    assert [i["id"] for i in body["incidents"]] == [str(orphan.id)]

    theirs = other_org.post("/api/v1/people/export", json={"external_ref": REF}).json
    assert (theirs["registrations"], theirs["incidents"], theirs["attendance"]) == ([], [], [])


def test_a_person_is_named_by_a_reference_in_the_body_only(org):
    for body, fields in (({}, {"external_ref"}), ({"external_ref": "", "id": 1}, {"external_ref", "id"})):
        for action in ("export", "erase"):
            response = org.post(f"/api/v1/people/{action}", json=body)
            assert response.status_code == 422 and response.mimetype == "application/problem+json"
            assert set(response.json["errors"]) == fields
    assert org.post(f"/api/v1/registrations/{uuid.uuid4()}/erase").status_code == 404
    assert db.session.execute(db.select(Erasure)).scalars().all() == []


def test_erasing_a_registration_removes_the_person_and_keeps_their_incidents_without_them(org):
    group = make_group(org.id)
    session = _ended_last_month(group)
    other, other_incident = _person(org, group, session, external_ref="person-0815")
    _subscribe(org)
    registration, incident = _person(org, group, session)  # its incident.created is enqueued
    outbox.enqueue(org.id, "registration.created", {"registration_id": registration.id})
    db.session.commit()

    response = org.post(f"/api/v1/registrations/{registration.id}/erase")
    assert response.status_code == 200, response.json
    assert response.json["scope"] == "registration"
    assert response.json["counts"] == {
        "registrations": 1,
        "attendance": 1,
        "ratings_set_aside": 1,
        "session_removals": 1,
        "support_alerts": 1,
        "incidents_unlinked": 1,
        "webhook_events": 2,
    }
    assert db.session.get(Registration, registration.id) is None
    assert (
        db.session.execute(db.select(Attendance).where(Attendance.registration_id == registration.id)).all()
        == []
    )
    assert db.session.execute(db.select(SupportAlert.registration_id)).scalars().all() == [other.id]
    assert db.session.execute(db.select(SessionRemoval.registration_id)).scalars().all() == [other.id]
    kept = db.session.get(Incident, incident.id)
    assert (kept.registration_id, kept.external_ref, kept.pseudonym) == (None, None, ERASED_PSEUDONYM)
    assert kept.observed and [note.text for note in kept.notes] == ["Called back, they are safe."]
    untouched = db.session.get(Incident, other_incident.id)
    assert (untouched.registration_id, untouched.pseudonym) == (other.id, "Sam")

    events = db.session.execute(db.select(WebhookEvent)).scalars().all()
    assert [event.event_type for event in events] == ["incident.created"]
    assert REF not in events[0].body and json.loads(events[0].body)["data"]["pseudonym"] == ERASED_PSEUDONYM
    assert len(db.session.execute(db.select(WebhookDelivery)).scalars().all()) == 1

    # The record of it says when and how much, never whose.
    [listed] = org.get("/api/v1/erasures").json["items"]
    assert listed == response.json
    assert str(registration.id) not in json.dumps(listed) and REF not in json.dumps(listed)
    assert org.get(f"/api/v1/registrations/{registration.id}/export").status_code == 404
    assert org.post(f"/api/v1/registrations/{registration.id}/erase").status_code == 404


def test_erasing_a_reference_erases_every_registration_of_it_in_this_organization_only(org, other_org):
    group = make_group(org.id)
    add_registration(group)
    add_registration(make_group(org.id))
    orphan = add_incident(org)
    theirs = add_registration(make_group(other_org.id))
    their_incident = add_incident(other_org)

    response = org.post("/api/v1/people/erase", json={"external_ref": REF})
    assert response.status_code == 200, response.json
    assert response.json["scope"] == "external_ref"
    assert (response.json["counts"]["registrations"], response.json["counts"]["incidents_unlinked"]) == (2, 1)
    left = db.session.execute(db.select(Registration.id).where(Registration.external_ref == REF)).scalars()
    assert left.all() == [theirs.id]
    assert db.session.get(Incident, orphan.id).external_ref is None
    assert db.session.get(Incident, their_incident.id).external_ref == REF
    assert other_org.get("/api/v1/erasures").json["items"] == []
    # Nobody left with it: an erasure of nothing, said plainly.
    again = org.post("/api/v1/people/erase", json={"external_ref": REF}).json
    assert set(again["counts"].values()) == {0}


def test_an_erased_seat_goes_to_the_waitlist(org):
    group = make_group(org.id, capacity=1, waitlist_enabled=True)
    make_session(group)
    seated = add_registration(group)
    waiting = add_registration(group, external_ref="person-0815", status="waitlisted")
    assert org.post(f"/api/v1/registrations/{seated.id}/erase").status_code == 200
    db.session.refresh(waiting)
    assert waiting.status == "active"


def test_past_aggregates_read_the_same_after_an_erasure_and_keep_nothing_of_the_person(org):
    group = make_group(org.id)
    session = _ended_last_month(group)
    rows = [attend(session, external_ref=f"person-{n}", check_in=n, check_out=5) for n in range(1, 6)]
    this_month = make_session(group, starts_in=timedelta(hours=-2), status="ended")
    attend(this_month, registration=rows[0].registration, check_in=1, check_out=1)
    url = f"/api/v1/groups/{group.id}/check-ins"
    before = org.get(url).json
    assert before["arrival"]["shown"] is True

    erased = rows[0].registration
    counts = org.post(f"/api/v1/registrations/{erased.id}/erase").json["counts"]
    # The settled month's ratings are set aside; this month's, never shown, simply go.
    assert (counts["attendance"], counts["ratings_set_aside"]) == (2, 1)
    assert org.get(url).json == before
    [kept] = db.session.execute(db.select(AnonymousRating)).scalars().all()
    assert (kept.group_id, kept.check_in_rating, kept.check_out_rating) == (group.id, 1, 5)
    assert kept.contributor != erased.id and kept.month == last_complete_month(utcnow()).start().date()


def test_a_person_whose_call_for_support_is_still_waiting_is_not_erased(org):
    group = make_group(org.id)
    session = make_session(group, starts_in=timedelta(minutes=-10), status="live")
    registration = add_registration(group)
    db.session.add(_alert(org, session, registration))
    db.session.commit()
    for path, body in [
        (f"/api/v1/registrations/{registration.id}/erase", None),
        ("/api/v1/people/erase", {"external_ref": REF}),
    ]:
        response = org.post(path, json=body)
        assert response.status_code == 409, response.json
        assert "not been taken or escalated" in response.json["detail"]
    assert db.session.get(Registration, registration.id) is not None
    assert db.session.execute(db.select(SupportAlert)).scalars().one().registration_id == registration.id
    assert db.session.execute(db.select(Erasure)).all() == []
