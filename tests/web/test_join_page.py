"""The personal join page: the circle, its time in the group's zone, and nothing about others."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from service.extensions import db
from service.models import Attendance, Facilitator, GroupFacilitator, Registration
from tests.api.helpers import AGREEMENT, make_group, make_session


def _join_path(org, url: str, **body) -> str:
    response = org.post(url, json=body)
    assert response.status_code == 201
    return response.json["join_url"].removeprefix("http://hearth.test")


def _with_facilitators(group, organization_id):
    for name, role, active in [("Amira", "lead", True), ("Ben", "co", True), ("Gone", "co", False)]:
        person = Facilitator(
            organization_id=organization_id, name=name, email=f"{name}@example.org", active=active
        )
        db.session.add(person)
        db.session.flush()
        group.facilitator_links.append(GroupFacilitator(facilitator_id=person.id, role=role))
    db.session.commit()


def test_join_page_shows_the_circle(org, client):
    group = make_group(org.id, timezone="Europe/London")
    _with_facilitators(group, org.id)
    session, later = make_session(group), make_session(group, days_ahead=14)
    session.starts_at = datetime(2031, 3, 4, 18, 30, tzinfo=UTC)
    session.ends_at = datetime(2031, 3, 4, 19, 30, tzinfo=UTC)
    later.starts_at = datetime(2031, 3, 11, 18, 30, tzinfo=UTC)
    later.ends_at = datetime(2031, 3, 11, 19, 30, tzinfo=UTC)
    db.session.commit()
    path = _join_path(org, f"/api/v1/groups/{group.id}/registrations", external_ref="crm-secret-77")
    _join_path(org, f"/api/v1/groups/{group.id}/registrations", external_ref="someone-else-88")

    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert group.title in html and group.description in html
    assert "Tuesday 4 March 2031, 18:30" in html and "19:30" in html and "Europe/London" in html
    assert "11 March" not in html, "only the next session is shown"
    assert "Amira" in html and "Ben" in html and "Gone" not in html
    for item in AGREEMENT:
        assert f"<li>{item}</li>" in html
    token = path.rsplit("/", 1)[-1]
    assert f'href="./{token}/calendar.ics"' in html
    assert "waitlist" not in html
    assert "crm-secret-77" not in html and "someone-else-88" not in html
    # Only the page's own module script: nothing inline (the CSP would refuse it anyway).
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="/static/js/join/join.js">']
    assert "style=" not in html and "<style" not in html
    assert f'data-token="{token}"' in html
    assert 'value="listen_only"' in html and "no microphone or camera is ever asked for" in html
    assert "earlier check-ins" not in html, "no trend before any rating"
    assert page.headers["Cache-Control"] == "no-store"


def test_session_registration_shows_its_own_session_in_the_group_zone(org, client):
    group = make_group(org.id, timezone="America/New_York")
    make_session(group, days_ahead=1)
    session = make_session(group, days_ahead=3)
    session.starts_at = datetime(2031, 7, 1, 22, 0, tzinfo=UTC)
    session.ends_at = datetime(2031, 7, 1, 23, 0, tzinfo=UTC)
    db.session.commit()
    html = client.get(_join_path(org, f"/api/v1/sessions/{session.id}/registrations")).get_data(as_text=True)
    assert "Tuesday 1 July 2031, 18:00" in html and "America/New_York" in html


def test_waitlisted_person_is_told_gently(org, client):
    group = make_group(org.id, capacity=1, waitlist_enabled=True)
    make_session(group)
    _join_path(org, f"/api/v1/groups/{group.id}/registrations")
    html = client.get(_join_path(org, f"/api/v1/groups/{group.id}/registrations")).get_data(as_text=True)
    assert "You are on the waitlist" in html


def test_unknown_revoked_and_removed_links_are_a_kind_404(org, client):
    group = make_group(org.id)
    response = org.post(f"/api/v1/groups/{group.id}/registrations", json={})
    path = response.json["join_url"].removeprefix("http://hearth.test")
    unknown = client.get("/join/not-a-real-token")
    assert unknown.status_code == 404 and "ask the organization" in unknown.get_data(as_text=True).lower()
    org.post(f"/api/v1/registrations/{response.json['id']}/join-link")
    assert client.get(path).status_code == 404
    other = _join_path(org, f"/api/v1/groups/{group.id}/registrations")
    org.delete(f"/api/v1/registrations/{response.json['id']}")
    assert client.get(other).status_code == 200


def test_the_page_shows_a_person_their_own_earlier_ratings_only(org, client):
    group = make_group(org.id)
    earlier, upcoming = make_session(group, days_ahead=-7), make_session(group, days_ahead=7)
    path = _join_path(org, f"/api/v1/groups/{group.id}/registrations")
    other = _join_path(org, f"/api/v1/groups/{group.id}/registrations")
    registration = (
        db.session.execute(db.select(Registration).order_by(Registration.created_at)).scalars().first()
    )
    db.session.add(
        Attendance(
            organization_id=org.id,
            session_id=earlier.id,
            registration_id=registration.id,
            mode="speak",
            check_in_rating=2,
            check_out_rating=4,
        )
    )
    db.session.commit()
    assert upcoming.starts_at > earlier.starts_at
    html = client.get(path).get_data(as_text=True)
    assert "Your own earlier check-ins" in html
    assert "<td>2</td><td>4</td>" in html
    assert "earlier check-ins" not in client.get(other).get_data(as_text=True)
