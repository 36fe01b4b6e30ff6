"""Groups: create with defaults, validate, list, update, archive."""

from __future__ import annotations

import uuid

import pytest

from service.domain import sessions as session_domain
from service.models import utcnow
from service.schemas.groups import DEFAULT_AGREEMENT
from tests.api.helpers import create_group, register, sessions_of


def _facilitator(org, email="amira@example.org"):
    return org.post("/api/v1/facilitators", json={"name": "Amira", "email": email}).json["id"]


def test_create_fills_in_the_defaults(org):
    lead = _facilitator(org)
    group = create_group(org, facilitators=[{"facilitator_id": lead, "role": "lead"}])
    assert group["status"] == "active"
    assert group["capacity"] == 8 and group["duration_minutes"] == 60 and group["lobby_opens_minutes"] == 10
    assert group["language"] == "en" and group["waitlist_enabled"] is False and group["chat_enabled"] is True
    assert group["allowed_modes"] == ["speak", "camera_off", "listen_only"]
    assert group["agreement"] == list(DEFAULT_AGREEMENT)
    assert group["recurrence"] == {"frequency": "weekly", "interval": 1, "weekdays": ["MO"]}
    assert group["rrule"] == "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;WKST=MO"
    assert group["facilitators"] == [{"facilitator_id": lead, "role": "lead"}]
    assert org.get(f"/api/v1/groups/{group['id']}").json == group
    assert len(sessions_of(org, group["id"])) >= 12


def test_a_one_off_group_has_one_session(org):
    group = create_group(org, recurrence=None)
    assert group["rrule"] is None
    assert [s["local_start"] for s in sessions_of(org, group["id"])] == ["2027-03-01T19:00:00"]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"title": "", "capacity": 13, "duration_minutes": 10}, {"title", "capacity", "duration_minutes"}),
        ({"allowed_modes": [], "agreement": []}, {"allowed_modes", "agreement"}),
        ({"allowed_modes": ["shout"], "agreement": ["x" * 301]}, {"allowed_modes.0", "agreement.0"}),
        ({"first_start": "2027-03-01T19:00:00+00:00"}, {"first_start"}),
        ({"timezone": "Mars/Olympus_Mons"}, {"timezone"}),
        (
            {"language": "not a tag", "region": "gb", "lobby_opens_minutes": 61},
            {"language", "region", "lobby_opens_minutes"},
        ),
        ({"owner": "me"}, {"owner"}),
        # Only JSON's true and false: "yes", "true", 1 and 0 are refused, not guessed at.
        (
            {"waitlist_enabled": "yes", "chat_enabled": 1, "public": "true"},
            {"waitlist_enabled", "chat_enabled", "public"},
        ),
        ({"relay_media": 0}, {"relay_media"}),
        ({"recurrence": {"frequency": "daily"}}, {"recurrence.frequency"}),
        ({"recurrence": {"frequency": "weekly", "until": "2027-06-01", "count": 3}}, {"recurrence.count"}),
        ({"recurrence": {"frequency": "weekly", "interval": 53}}, {"recurrence.interval"}),
        ({"recurrence": {"frequency": "monthly", "weekdays": ["MO"]}}, {"recurrence.weekdays"}),
        ({"recurrence": {"frequency": "weekly", "weekdays": ["TU"]}}, {"recurrence.weekdays"}),
        ({"recurrence": {"frequency": "monthly", "week_of_month": 2}}, {"recurrence.week_of_month"}),
    ],
)
def test_bad_input_is_422_with_field_names(org, fields, errors):
    body = {"title": "Circle", "timezone": "Europe/London", "first_start": "2027-03-01T19:00:00", **fields}
    response = org.post("/api/v1/groups", json=body)
    assert response.status_code == 422
    assert set(response.json["errors"]) == errors


def test_missing_required_fields(org):
    response = org.post("/api/v1/groups", json={})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"title", "timezone", "first_start"}


def test_facilitators_must_be_active_and_of_this_organization(org, other_org):
    mine, theirs = _facilitator(org), _facilitator(other_org)
    for facilitators in (
        [{"facilitator_id": theirs}],
        [{"facilitator_id": mine, "role": "lead"}, {"facilitator_id": mine, "role": "co"}],
        [{"facilitator_id": mine, "role": "boss"}],
    ):
        response = org.post(
            "/api/v1/groups",
            json={
                "title": "C",
                "timezone": "UTC",
                "first_start": "2027-03-01T19:00:00",
                "facilitators": facilitators,
            },
        )
        assert response.status_code == 422
        assert any(path.startswith("facilitators") for path in response.json["errors"])
    second = _facilitator(org, "ben@example.org")
    two_leads = [{"facilitator_id": mine, "role": "lead"}, {"facilitator_id": second, "role": "lead"}]
    response = org.post(
        "/api/v1/groups",
        json={
            "title": "C",
            "timezone": "UTC",
            "first_start": "2027-03-01T19:00:00",
            "facilitators": two_leads,
        },
    )
    assert response.status_code == 422 and "facilitators" in response.json["errors"]
    org.post(f"/api/v1/facilitators/{second}/deactivate")
    response = org.post(
        "/api/v1/groups",
        json={
            "title": "C",
            "timezone": "UTC",
            "first_start": "2027-03-01T19:00:00",
            "facilitators": [{"facilitator_id": second, "role": "co"}],
        },
    )
    assert response.status_code == 422


def test_list_filters_sorts_and_pages(org, other_org):
    create_group(org, title="Bravo")
    archived = create_group(org, title="Alpha")
    create_group(org, title="Charlie")
    create_group(other_org, title="Elsewhere")
    org.post(f"/api/v1/groups/{archived['id']}/archive")
    everything = org.get("/api/v1/groups").json
    assert [g["title"] for g in everything["items"]] == ["Bravo", "Alpha", "Charlie"]
    assert [g["title"] for g in org.get("/api/v1/groups?sort=title").json["items"]] == [
        "Alpha",
        "Bravo",
        "Charlie",
    ]
    assert [g["title"] for g in org.get("/api/v1/groups?sort=-title").json["items"]] == [
        "Charlie",
        "Bravo",
        "Alpha",
    ]
    assert [g["title"] for g in org.get("/api/v1/groups?status=active").json["items"]] == ["Bravo", "Charlie"]
    first = org.get("/api/v1/groups?sort=title&limit=2").json
    assert [g["title"] for g in first["items"]] == ["Alpha", "Bravo"]
    rest = org.get(f"/api/v1/groups?sort=title&limit=2&cursor={first['next_cursor']}").json
    assert [g["title"] for g in rest["items"]] == ["Charlie"] and rest["next"] is None
    bad = org.get("/api/v1/groups?status=gone&sort=size")
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"status", "sort"}


def test_missing_key_is_401(client, org):
    group = create_group(org)
    assert client.get("/api/v1/groups").status_code == 401
    assert client.post("/api/v1/groups", json={}).status_code == 401
    assert client.get(f"/api/v1/groups/{group['id']}").status_code == 401
    assert client.patch(f"/api/v1/groups/{group['id']}", json={"title": "x"}).status_code == 401
    assert client.post(f"/api/v1/groups/{group['id']}/archive").status_code == 401


def test_another_organizations_group_is_404(org, other_org):
    group = create_group(org)
    assert other_org.get(f"/api/v1/groups/{group['id']}").status_code == 404
    assert other_org.patch(f"/api/v1/groups/{group['id']}", json={"title": "Mine"}).status_code == 404
    assert other_org.post(f"/api/v1/groups/{group['id']}/archive").status_code == 404
    assert other_org.get("/api/v1/groups").json["items"] == []
    assert org.get(f"/api/v1/groups/{group['id']}").json["title"] == "Monday evening circle"


def test_patch_changes_only_what_is_given(org):
    group = create_group(org, capacity=10)
    lead = _facilitator(org)
    response = org.patch(
        f"/api/v1/groups/{group['id']}",
        json={
            "title": "  Renamed  ",
            "chat_enabled": False,
            "facilitators": [{"facilitator_id": lead, "role": "co"}],
        },
    )
    assert response.status_code == 200
    body = response.json
    assert body["title"] == "Renamed" and body["chat_enabled"] is False and body["capacity"] == 10
    assert body["facilitators"] == [{"facilitator_id": lead, "role": "co"}]
    assert body["agreement"] == group["agreement"]
    bad = org.patch(f"/api/v1/groups/{group['id']}", json={"status": "archived", "capacity": 1})
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"status", "capacity"}
    bad = org.patch(
        f"/api/v1/groups/{group['id']}", json={"recurrence": {"frequency": "weekly", "weekdays": ["FR"]}}
    )
    assert bad.status_code == 422 and "recurrence.weekdays" in bad.json["errors"]


def test_capacity_below_current_registrations_is_409(org):
    group = create_group(org)
    for _ in range(3):
        register(org, group["id"])
    register(org, group["id"], status="waitlisted")
    response = org.patch(f"/api/v1/groups/{group['id']}", json={"capacity": 2})
    assert response.status_code == 409 and "capacity" in response.json["errors"]
    assert org.patch(f"/api/v1/groups/{group['id']}", json={"capacity": 3}).status_code == 200


def test_archive_keeps_the_past_and_cancels_the_future(org):
    group = create_group(org)
    first, *later = sessions_of(org, group["id"])
    session_domain.start_session(org.id, uuid.UUID(first["id"]), utcnow())
    session_domain.end_session(org.id, uuid.UUID(first["id"]), utcnow())
    response = org.post(f"/api/v1/groups/{group['id']}/archive")
    assert response.status_code == 200 and response.json["status"] == "archived"
    after = {s["id"]: s for s in sessions_of(org, group["id"])}
    assert after[first["id"]]["status"] == "ended"
    assert all(after[s["id"]]["status"] == "cancelled" for s in later)
    assert all(after[s["id"]]["cancel_reason"] == "The group was archived" for s in later)
    assert org.post(f"/api/v1/groups/{group['id']}/archive").status_code == 409
    assert org.patch(f"/api/v1/groups/{group['id']}", json={"title": "Again"}).status_code == 409
