"""/api/v1/incidents: list and filter, read, acknowledge, notes, resolve, and every refusal."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from service.domain.incidents import record_incident
from service.extensions import db
from service.models import Incident
from tests.api.helpers import instant, make_group, make_session


def add_incident(org, session=None, *, severity: str = "high", ago: timedelta = timedelta(0)) -> Incident:
    """An open incident of the organization, as a facilitator's escalation records it."""
    session = session or make_session(make_group(org.id))
    incident = record_incident(
        organization_id=org.id,
        session_id=session.id,
        registration_id=None,
        seat_id="p-0123456789abcdef0123",
        pseudonym="Sam",
        external_ref="person-4711@example.org",
        severity=severity,
        observed="Said they have a plan for tonight.",
        escalated_by=str(uuid.uuid4()),
        source_alert_id=None,
        now=datetime.now(UTC) - ago,
    )
    db.session.commit()
    return incident


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    return response.json


def key_id(org) -> str:
    keys = org.get("/api/v1/api-keys").json["items"]
    return keys[0]["id"]


def test_reading_an_incident(org):
    incident = add_incident(org)
    body = org.get(f"/api/v1/incidents/{incident.id}").json
    assert body["id"] == str(incident.id)
    assert (body["pseudonym"], body["external_ref"], body["severity"], body["status"]) == (
        "Sam",
        "person-4711@example.org",
        "high",
        "open",
    )
    assert body["observed"] == "Said they have a plan for tonight."
    assert body["session_id"] == str(incident.session_id)
    assert body["notes"] == []
    assert body["acknowledged_at"] is None


def test_the_lifecycle_acknowledge_note_resolve_each_tells_the_organization(org, outbox_events):
    incident = add_incident(org)
    url = f"/api/v1/incidents/{incident.id}"
    outbox_events.clear()

    acknowledged = org.post(f"{url}/acknowledge")
    assert acknowledged.status_code == 200
    assert acknowledged.json["status"] == "acknowledged"
    assert acknowledged.json["acknowledged_by"] == key_id(org)
    assert instant(acknowledged.json["acknowledged_at"]) <= datetime.now(UTC)

    note = org.post(f"{url}/notes", json={"text": "  Called them; they are safe with family.  "})
    assert note.status_code == 201
    assert note.headers["Location"].endswith(url)
    assert (note.json["text"], note.json["author"], note.json["api_key_id"]) == (
        "Called them; they are safe with family.",
        "organization",
        key_id(org),
    )

    resolved = org.post(f"{url}/resolve")
    assert resolved.status_code == 200
    assert resolved.json["status"] == "resolved"
    assert resolved.json["resolved_at"] is not None
    assert [n["text"] for n in resolved.json["notes"]] == ["Called them; they are safe with family."]

    later = org.post(f"{url}/notes", json={"text": "Followed up a week later."})
    assert later.status_code == 201
    read = org.get(url).json
    assert [n["text"] for n in read["notes"]] == [
        "Called them; they are safe with family.",
        "Followed up a week later.",
    ]
    assert [event_type for _, event_type, _ in outbox_events] == ["incident.updated"] * 4
    assert [data["status"] for _, _, data in outbox_events] == [
        "acknowledged",
        "acknowledged",
        "resolved",
        "resolved",
    ]
    assert all("Called them" not in str(data) for _, _, data in outbox_events)
    assert all(organization_id == org.id for organization_id, _, _ in outbox_events)


def test_a_resolved_incident_cannot_be_resolved_or_acknowledged_again(org, outbox_events):
    incident = add_incident(org)
    url = f"/api/v1/incidents/{incident.id}"
    assert org.post(f"{url}/acknowledge").status_code == 200
    assert problem(org.post(f"{url}/acknowledge"), 409)["code"] == "conflict"
    assert org.post(f"{url}/resolve").status_code == 200
    outbox_events.clear()
    assert problem(org.post(f"{url}/resolve"), 409)["code"] == "conflict"
    assert problem(org.post(f"{url}/acknowledge"), 409)["code"] == "conflict"
    assert outbox_events == []


def test_an_open_incident_can_be_resolved_straight_away(org):
    incident = add_incident(org)
    body = org.post(f"/api/v1/incidents/{incident.id}/resolve").json
    assert (body["status"], body["acknowledged_at"]) == ("resolved", None)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "   "},
        {"text": "x" * 4001},
        {"text": "ok", "author": "someone"},
        {"text": 3},
    ],
)
def test_bad_notes_are_refused_and_change_nothing(org, body, outbox_events):
    incident = add_incident(org)
    outbox_events.clear()
    problem(org.post(f"/api/v1/incidents/{incident.id}/notes", json=body), 422)
    assert org.get(f"/api/v1/incidents/{incident.id}").json["notes"] == []
    assert outbox_events == []


def test_another_organizations_incidents_are_not_found(org, other_org, outbox_events):
    incident = add_incident(org)
    url = f"/api/v1/incidents/{incident.id}"
    outbox_events.clear()
    problem(other_org.get(url), 404)
    problem(other_org.post(f"{url}/acknowledge"), 404)
    problem(other_org.post(f"{url}/resolve"), 404)
    problem(other_org.post(f"{url}/notes", json={"text": "Not ours."}), 404)
    assert other_org.get("/api/v1/incidents").json["items"] == []
    assert org.get(url).json["status"] == "open"
    assert outbox_events == []
    problem(org.get(f"/api/v1/incidents/{uuid.uuid4()}"), 404)


def test_listing_filters_by_status_severity_session_and_time(org):
    session = make_session(make_group(org.id))
    old = add_incident(org, session, severity="low", ago=timedelta(days=3))
    high = add_incident(org, severity="high", ago=timedelta(hours=1))
    critical = add_incident(org, session, severity="critical")
    org.post(f"/api/v1/incidents/{high.id}/acknowledge")

    def ids(query: str = "") -> list[str]:
        response = org.get(f"/api/v1/incidents{query}")
        assert response.status_code == 200, response.json
        return [item["id"] for item in response.json["items"]]

    assert ids() == [str(critical.id), str(high.id), str(old.id)]
    assert ids("?sort=created_at") == [str(old.id), str(high.id), str(critical.id)]
    assert ids("?status=acknowledged") == [str(high.id)]
    assert ids("?status=open&severity=low") == [str(old.id)]
    assert ids(f"?session_id={session.id}") == [str(critical.id), str(old.id)]
    since = (datetime.now(UTC) - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert ids(f"?since={since}") == [str(critical.id), str(high.id)]


def test_listing_pages_with_a_cursor(org):
    made = [add_incident(org, ago=timedelta(minutes=minutes)) for minutes in (3, 2, 1)]
    first = org.get("/api/v1/incidents?limit=2").json
    assert [item["id"] for item in first["items"]] == [str(made[2].id), str(made[1].id)]
    second = org.get(first["next"].removeprefix("http://localhost")).json
    assert [item["id"] for item in second["items"]] == [str(made[0].id)]
    assert second["next"] is None
    assert "notes" not in first["items"][0]


@pytest.mark.parametrize(
    "query",
    [
        "?status=closed",
        "?severity=urgent",
        "?session_id=nope",
        "?since=yesterday",
        "?sort=severity",
        "?cursor=x",
    ],
)
def test_bad_filters_are_refused(org, query):
    problem(org.get(f"/api/v1/incidents{query}"), 422)
