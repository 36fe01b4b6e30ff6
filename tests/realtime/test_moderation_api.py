"""The organization's moderation over REST: end a session, remove or bar a person, read the audit log."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from service.extensions import db
from service.models import AuditEntry, CircleSession, Registration
from tests.api.helpers import make_group
from tests.realtime.conftest import add_registration, add_session, last_state, received, refusal


def told(client, name: str) -> list:
    return [event["args"][0] for event in client.queue if event["name"] == name]


@pytest.fixture
def host(circle):
    client = circle.host()
    assert client.emit("room:open", callback=True) == {"ok": True}
    return client


def joined(circle, host, name: str = "Sam"):
    """A participant admitted to the open room: client, registration and join token."""
    registration, token = add_registration(circle.group)
    client = circle.join(token)
    client.emit("room:agree", {"display_name": name, "mode": "speak"}, callback=True)
    seat_id = last_state(client)["you"]["seat_id"]
    assert host.emit("lobby:admit", {"seat_id": seat_id}, callback=True) == {"ok": True}
    return client, registration, token


def test_the_organization_ends_a_live_session(org, circle, host):
    sam, _, _ = joined(circle, host)
    response = org.post(f"/api/v1/sessions/{circle.session.id}/end")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ended"
    assert received(sam, "room:ended") == [{"session_id": str(circle.session.id)}]
    assert last_state(host)["phase"] == "ended"
    entry = db.session.execute(db.select(AuditEntry).where(AuditEntry.action == "room:end")).scalar_one()
    assert (entry.actor_kind, entry.facilitator_id) == ("organization", None)
    assert entry.api_key_id is not None
    again = org.post(f"/api/v1/sessions/{circle.session.id}/end")
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"
    ends = db.session.execute(db.select(AuditEntry).where(AuditEntry.action == "room:end")).scalars()
    assert ends.all() == [entry]


def test_a_session_that_is_not_live_cannot_be_ended(org, circle):
    response = org.post(f"/api/v1/sessions/{circle.session.id}/end")
    assert response.status_code == 409
    assert db.session.get(CircleSession, circle.session.id).status == "scheduled"
    assert db.session.execute(db.select(AuditEntry)).scalars().all() == []


def test_the_organization_removes_a_person_from_a_live_session(app, org, circle, host):
    sam, registration, token = joined(circle, host)
    url = f"/api/v1/sessions/{circle.session.id}/participants/{registration.id}/remove"
    response = org.post(url)
    assert response.status_code == 200, response.json
    assert response.json["reason"] == "removed"
    assert told(sam, "room:removed") == [{"reason": "removed"}]
    assert not sam.is_connected()
    seat_id = response.json["seat_id"]
    assert all(s["seat_id"] != seat_id for s in last_state(host)["seats"])
    assert refusal(app, {"token": token})["code"] == "removed"
    entry = db.session.execute(db.select(AuditEntry).where(AuditEntry.action == "seat:remove")).scalar_one()
    assert (entry.actor_kind, entry.target_seat_id) == ("organization", seat_id)
    # Removing again changes nothing more than noting it.
    assert org.post(url).status_code == 200


def test_the_organization_bars_a_person_from_the_group(app, org, client, circle, host):
    sam, registration, token = joined(circle, host)
    response = org.post(f"/api/v1/sessions/{circle.session.id}/participants/{registration.id}/bar")
    assert response.status_code == 200, response.json
    assert response.json["reason"] == "barred"
    assert told(sam, "room:removed") == [{"reason": "barred"}]
    assert not sam.is_connected()
    assert refusal(app, {"token": token})["code"] == "invalid_token"
    assert client.get(f"/join/{token}").status_code == 404
    db.session.refresh(registration)
    assert registration.status == "removed"


def test_a_person_can_be_removed_before_the_session_starts(app, org, circle):
    registration, token = add_registration(circle.group)
    url = f"/api/v1/sessions/{circle.session.id}/participants/{registration.id}/remove"
    assert org.post(url).status_code == 200
    assert refusal(app, {"token": token})["code"] == "removed"


def test_removal_is_refused_for_ended_sessions_and_other_groups(org, circle):
    registration, _ = add_registration(circle.group)
    elsewhere, _ = add_registration(make_group(org.id))
    url = f"/api/v1/sessions/{circle.session.id}/participants/{elsewhere.id}/remove"
    assert org.post(url).status_code == 422
    circle.session.status = "ended"
    db.session.commit()
    url = f"/api/v1/sessions/{circle.session.id}/participants/{registration.id}/remove"
    assert org.post(url).status_code == 409
    assert db.session.execute(db.select(AuditEntry)).scalars().all() == []


def test_other_organizations_find_nothing(org, other_org, circle):
    registration, _ = add_registration(circle.group)
    session_id = circle.session.id
    for path in (
        f"/api/v1/sessions/{session_id}/end",
        f"/api/v1/sessions/{session_id}/participants/{registration.id}/remove",
        f"/api/v1/sessions/{session_id}/participants/{registration.id}/bar",
    ):
        assert other_org.post(path).status_code == 404
    assert other_org.get(f"/api/v1/sessions/{session_id}/audit").status_code == 404
    theirs = add_session(make_group(other_org.id), timedelta(days=1))
    url = f"/api/v1/sessions/{theirs.id}/participants/{registration.id}/bar"
    assert other_org.post(url).status_code == 404
    db.session.refresh(registration)
    assert registration.status == "active"
    assert org.post(f"/api/v1/sessions/{uuid.uuid4()}/end").status_code == 404


def test_the_audit_log_shows_who_did_what_to_whom_never_content(org, circle, host):
    sam, registration, _ = joined(circle, host)
    sam_seat = last_state(sam)["you"]["seat_id"]
    text = "I had a really hard week"
    message_id = sam.emit("chat:send", {"text": text}, callback=True)["id"]
    host.emit("chat:delete", {"id": message_id}, callback=True)
    host.emit("private:send", {"to": sam_seat, "text": "Checking in with you privately"}, callback=True)
    host.emit("norm:remind", {"norm": 0, "seat_id": sam_seat}, callback=True)
    org.post(f"/api/v1/sessions/{circle.session.id}/participants/{registration.id}/remove")

    first = org.get(f"/api/v1/sessions/{circle.session.id}/audit?limit=3")
    assert first.status_code == 200
    rest = org.get(first.json["next"].removeprefix("http://localhost"))
    items = first.json["items"] + rest.json["items"]
    assert [item["action"] for item in items] == [
        "room:open",
        "lobby:admit",
        "chat:delete",
        "private:open",
        "norm:remind",
        "seat:remove",
    ]
    assert rest.json["next"] is None
    by_facilitator = items[0]
    assert by_facilitator["actor_kind"] == "facilitator"
    assert by_facilitator["facilitator_id"] == str(circle.facilitator.id)
    assert by_facilitator["facilitator_name"] == circle.facilitator.name
    assert items[-1]["actor_kind"] == "organization" and items[-1]["facilitator_name"] is None
    assert items[2]["target_seat_id"] == sam_seat and items[4]["detail"] == {"norm": 0}
    body = json.dumps(items)
    assert text not in body and "Checking in" not in body and "Sam" not in body


def test_an_audit_log_is_empty_for_a_quiet_session(org, circle):
    response = org.get(f"/api/v1/sessions/{circle.session.id}/audit")
    assert response.json == {"items": [], "next_cursor": None, "next": None}
    assert org.get(f"/api/v1/sessions/{circle.session.id}/audit?limit=0").status_code == 422


def test_removing_a_waitlisted_seat_by_barring_promotes_the_waitlist(org, circle):
    circle.group.capacity, circle.group.waitlist_enabled = 1, True
    db.session.commit()
    first, _ = add_registration(circle.group)
    waiting, _ = add_registration(circle.group, status="waitlisted")
    response = org.post(f"/api/v1/sessions/{circle.session.id}/participants/{first.id}/bar")
    assert response.status_code == 200
    assert db.session.get(Registration, waiting.id).status == "active"
