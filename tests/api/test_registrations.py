"""Registrations: seats, the waitlist and promotion, join links, and organization scoping."""

from __future__ import annotations

import threading
import uuid

import pytest

from service.domain.registrations import session_occupancy
from service.domain.tokens import token_hash
from service.extensions import db
from service.models import Registration
from tests.api.helpers import make_group, make_session


def _path(url: str) -> str:
    return url.removeprefix("http://hearth.test")


def _register(org, group, **body):
    return org.post(f"/api/v1/groups/{group.id}/registrations", json=body)


def test_series_registration_returns_link_once(org, client):
    group = make_group(org.id)
    make_session(group)
    response = _register(org, group, external_ref="crm-123", region="us-ca")
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "active" and body["session_id"] is None
    assert body["group_id"] == str(group.id)
    assert body["external_ref"] == "crm-123" and body["region"] == "US-CA"
    assert body["join_url"].startswith("http://hearth.test/join/")
    assert body["calendar_url"] == body["join_url"] + "/calendar.ics"

    read = org.get(f"/api/v1/registrations/{body['id']}").json
    assert "join_url" not in read and "calendar_url" not in read
    listed = org.get(f"/api/v1/groups/{group.id}/registrations").json["items"]
    assert [r["id"] for r in listed] == [body["id"]]
    assert "join_url" not in listed[0]
    assert client.get(_path(body["join_url"])).status_code == 200


def test_token_is_stored_only_hashed(org):
    group = make_group(org.id)
    body = _register(org, group).json
    token = body["join_url"].rsplit("/", 1)[-1]
    stored = db.session.get(Registration, uuid.UUID(body["id"]))
    assert stored.token_hash == token_hash(token)
    row = db.session.execute(db.select(Registration.__table__).where(Registration.id == stored.id)).one()
    assert all(token not in str(value) for value in row)


def test_session_registration_and_list(org):
    group = make_group(org.id)
    session = make_session(group)
    response = org.post(f"/api/v1/sessions/{session.id}/registrations", json={})
    assert response.status_code == 201
    assert response.json["session_id"] == str(session.id)
    listed = org.get(f"/api/v1/sessions/{session.id}/registrations").json["items"]
    assert [r["id"] for r in listed] == [response.json["id"]]
    assert len(org.get(f"/api/v1/groups/{group.id}/registrations").json["items"]) == 1


def test_list_filters_by_status_and_paginates(org):
    group = make_group(org.id, capacity=1, waitlist_enabled=True)
    make_session(group)
    first = _register(org, group).json
    second = _register(org, group).json
    assert second["status"] == "waitlisted"
    waiting = org.get(f"/api/v1/groups/{group.id}/registrations?status=waitlisted").json["items"]
    assert [r["id"] for r in waiting] == [second["id"]]
    page = org.get(f"/api/v1/groups/{group.id}/registrations?limit=1").json
    assert [r["id"] for r in page["items"]] == [first["id"]] and page["next_cursor"]
    rest = org.get(f"/api/v1/groups/{group.id}/registrations?limit=1&cursor={page['next_cursor']}").json
    assert [r["id"] for r in rest["items"]] == [second["id"]] and rest["next"] is None
    bad = org.get(f"/api/v1/groups/{group.id}/registrations?status=maybe")
    assert bad.status_code == 422 and "status" in bad.json["errors"]


def test_bad_input_is_422_with_field_names(org):
    group = make_group(org.id)
    response = _register(org, group, external_ref="x" * 201, region="California")
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"external_ref", "region"}
    assert _register(org, group, seat=3).status_code == 422


def test_full_group_without_waitlist_is_409(org):
    group = make_group(org.id, capacity=2)
    make_session(group)
    assert _register(org, group).status_code == 201
    assert _register(org, group).status_code == 201
    response = _register(org, group)
    assert response.status_code == 409
    assert response.json["code"] == "full"
    assert "This group is full (2 of 2 seats taken)" in response.json["detail"]
    assert db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar_one() == 2


def test_session_seats_count_series_seats_too(org):
    group = make_group(org.id, capacity=2)
    session = make_session(group)
    later = make_session(group, days_ahead=14)
    assert org.post(f"/api/v1/sessions/{session.id}/registrations", json={}).status_code == 201
    assert _register(org, group).status_code == 201
    assert session_occupancy(group, [session.id, later.id]) == {session.id: 2, later.id: 1}
    full = org.post(f"/api/v1/sessions/{session.id}/registrations", json={})
    assert full.status_code == 409 and "This session is full" in full.json["detail"]
    assert org.post(f"/api/v1/sessions/{later.id}/registrations", json={}).status_code == 201
    assert _register(org, group).status_code == 409, "a series seat needs every session to fit"


def test_ended_and_cancelled_sessions_take_no_seats(org):
    group = make_group(org.id, capacity=1)
    make_session(group, status="cancelled")
    make_session(group, days_ahead=-7, status="ended")
    assert _register(org, group).status_code == 201
    assert _register(org, group).status_code == 201, "no open session is full"


def test_archived_group_and_closed_sessions_are_409(org):
    archived = make_group(org.id, status="archived")
    response = _register(org, archived)
    assert response.status_code == 409 and "archived" in response.json["detail"]
    group = make_group(org.id)
    cancelled = make_session(group, status="cancelled")
    ended = make_session(group, days_ahead=-7, status="ended")
    response = org.post(f"/api/v1/sessions/{cancelled.id}/registrations", json={})
    assert response.status_code == 409 and "cancelled" in response.json["detail"]
    assert org.post(f"/api/v1/sessions/{ended.id}/registrations", json={}).status_code == 409


def test_waitlist_and_promotion_in_order(org):
    group = make_group(org.id, capacity=1, waitlist_enabled=True)
    make_session(group)
    seated = _register(org, group).json
    first_waiting = _register(org, group).json
    second_waiting = _register(org, group).json
    assert [first_waiting["status"], second_waiting["status"]] == ["waitlisted", "waitlisted"]

    removed = org.delete(f"/api/v1/registrations/{seated['id']}")
    assert removed.status_code == 200
    assert removed.json["status"] == "removed" and removed.json["removed_at"]
    promoted = org.get(f"/api/v1/registrations/{first_waiting['id']}").json
    assert promoted["status"] == "active" and promoted["promoted_at"]
    still = org.get(f"/api/v1/registrations/{second_waiting['id']}").json
    assert still["status"] == "waitlisted" and still["promoted_at"] is None


def test_promotion_skips_a_waitlisted_seat_that_still_does_not_fit(org):
    group = make_group(org.id, capacity=1, waitlist_enabled=True)
    one = make_session(group)
    other = make_session(group, days_ahead=14)
    seat_one = org.post(f"/api/v1/sessions/{one.id}/registrations", json={}).json
    org.post(f"/api/v1/sessions/{other.id}/registrations", json={})
    series = _register(org, group).json
    waiting_one = org.post(f"/api/v1/sessions/{one.id}/registrations", json={}).json
    assert series["status"] == waiting_one["status"] == "waitlisted"

    org.delete(f"/api/v1/registrations/{seat_one['id']}")
    assert org.get(f"/api/v1/registrations/{series['id']}").json["status"] == "waitlisted"
    assert org.get(f"/api/v1/registrations/{waiting_one['id']}").json["status"] == "active"


def test_remove_revokes_link_and_is_repeatable(org, client):
    group = make_group(org.id)
    body = _register(org, group).json
    removed = org.delete(f"/api/v1/registrations/{body['id']}")
    assert removed.status_code == 200
    assert client.get(_path(body["join_url"])).status_code == 404
    stored = db.session.get(Registration, uuid.UUID(body["id"]))
    assert stored.token_revoked_at is not None
    again = org.delete(f"/api/v1/registrations/{body['id']}")
    assert again.status_code == 200 and again.json["removed_at"] == removed.json["removed_at"]
    assert org.post(f"/api/v1/registrations/{body['id']}/join-link").status_code == 409


def test_rotate_revokes_the_old_link(org, client):
    group = make_group(org.id)
    body = _register(org, group).json
    rotated = org.post(f"/api/v1/registrations/{body['id']}/join-link")
    assert rotated.status_code == 201
    assert rotated.json["id"] == body["id"]
    assert rotated.json["join_url"] != body["join_url"]
    assert rotated.json["calendar_url"] == rotated.json["join_url"] + "/calendar.ics"
    assert client.get(_path(body["join_url"])).status_code == 404
    assert client.get(_path(rotated.json["join_url"])).status_code == 200


def test_idempotency_key_returns_the_same_registration(org):
    group = make_group(org.id)
    headers = {"Idempotency-Key": "register-42"}
    first = org.post(f"/api/v1/groups/{group.id}/registrations", json={"region": "GB"}, headers=headers)
    again = org.post(f"/api/v1/groups/{group.id}/registrations", json={"region": "GB"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json
    assert db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar_one() == 1


def test_needs_a_live_key(client, org):
    group = make_group(org.id)
    body = _register(org, group).json
    urls = [
        ("post", f"/api/v1/groups/{group.id}/registrations"),
        ("get", f"/api/v1/groups/{group.id}/registrations"),
        ("get", f"/api/v1/registrations/{body['id']}"),
        ("delete", f"/api/v1/registrations/{body['id']}"),
        ("post", f"/api/v1/registrations/{body['id']}/join-link"),
    ]
    for method, url in urls:
        assert getattr(client, method)(url, json={}).status_code == 401
        revoked = {"Authorization": "Bearer hk_revoked-or-unknown"}
        assert getattr(client, method)(url, json={}, headers=revoked).status_code == 401


def test_other_organizations_objects_are_404(org, other_org):
    group = make_group(other_org.id)
    session = make_session(group)
    theirs = _register(other_org, group).json["id"]
    assert _register(org, group).status_code == 404
    assert org.get(f"/api/v1/groups/{group.id}/registrations").status_code == 404
    assert org.post(f"/api/v1/sessions/{session.id}/registrations", json={}).status_code == 404
    assert org.get(f"/api/v1/sessions/{session.id}/registrations").status_code == 404
    assert org.get(f"/api/v1/registrations/{theirs}").status_code == 404
    assert org.delete(f"/api/v1/registrations/{theirs}").status_code == 404
    assert org.post(f"/api/v1/registrations/{theirs}/join-link").status_code == 404
    assert other_org.get(f"/api/v1/registrations/{theirs}").json["status"] == "active"


@pytest.mark.real_commits  # threads with sessions of their own
def test_two_simultaneous_registrations_cannot_share_the_last_seat(app, org):
    group = make_group(org.id, capacity=1)
    make_session(group)
    group_id = group.id
    db.session.commit()
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def register() -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/api/v1/groups/{group_id}/registrations", json={}, headers=org.headers())
        statuses.append(response.status_code)

    threads = [threading.Thread(target=register) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [201, 409]
    db.session.expire_all()
    assert db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar_one() == 1
