"""The public directory: groups an organization lists, as a Meeting Guide feed and a page; never a person."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.api.helpers import create_group, register
from tests.directory_spec import check_feed

SIGN_UP = "https://riverside.example.org/circles/sign-up"


def listed(org, **fields) -> dict:
    return create_group(org, public=True, registration_url=SIGN_UP, **fields)


def test_the_feed_lists_only_public_weekly_groups_with_the_spec_fields(client, org, other_org):
    tuesday = listed(
        org,
        title="Tuesday evening circle",
        description="A calm hour to be heard.",
        first_start="2027-03-02T19:30:00",
        recurrence={"frequency": "weekly", "weekdays": ["TU", "TH"]},
        duration_minutes=90,
    )
    spanish = listed(org, title="Círculo de los lunes", language="es", timezone="America/New_York")
    create_group(org, title="Unlisted circle")
    listed(
        org, title="Monthly circle", first_start="2027-03-02T19:00:00", recurrence={"frequency": "monthly"}
    )
    archived = listed(org, title="Archived circle")
    org.post(f"/api/v1/groups/{archived['id']}/archive")
    listed(other_org, title="Another organization's circle")
    register(org, tuesday["id"])

    response = client.get(f"/directory/{org.id}/meetings.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    feed = response.json
    check_feed(feed)
    assert [m["name"] for m in feed] == ["Círculo de los lunes", "Tuesday evening circle"]
    spanish_meeting, tuesday_meeting = feed
    assert tuesday_meeting == {
        "name": "Tuesday evening circle",
        "slug": tuesday["id"],
        "day": [2, 4],
        "time": "19:30",
        "end_time": "21:00",
        "timezone": "Europe/London",
        "conference_url": SIGN_UP,
        "conference_url_notes": "Ask for a place through this link; you then receive your own way in.",
        "url": SIGN_UP,
        "types": ["EN"],
        "notes": "A calm hour to be heard.",
        "updated": tuesday_meeting["updated"],
        "entity": org.get("/api/v1/organization").json["name"],
    }
    assert spanish_meeting["day"] == 1 and spanish_meeting["types"] == ["S"]
    assert spanish_meeting["timezone"] == "America/New_York" and spanish_meeting["slug"] == spanish["id"]
    # Nobody: no join link, no reference, no facilitator.
    assert "/join/" not in response.text and "person-4711" not in response.text


def test_the_page_names_the_feed_and_lists_the_same_groups(client, org, app):
    group = listed(org, title="Tuesday evening circle")
    create_group(org, title="Unlisted circle")
    page = client.get(f"/directory/{org.id}")
    assert page.status_code == 200
    text = page.text
    feed_url = f"{app.config['HEARTH_BASE_URL']}/directory/{org.id}/meetings.json"
    link = re.search(
        r'<link rel="alternate" type="application/json" title="Meetings Feed" href="([^"]+)">', text
    )
    assert link and link.group(1) == feed_url
    assert "Tuesday evening circle" in text and f'href="{SIGN_UP}"' in text
    assert "Unlisted circle" not in text and group["id"] not in text
    assert "<script" not in text and "style=" not in text


def test_an_unknown_organization_has_no_directory(client):
    assert client.get(f"/directory/{uuid.uuid4()}").status_code == 404
    missing = client.get(f"/directory/{uuid.uuid4()}/meetings.json")
    assert missing.status_code == 404 and missing.json == []


def test_unlisting_a_group_takes_it_out(client, org):
    group = listed(org)
    assert len(client.get(f"/directory/{org.id}/meetings.json").json) == 1
    response = org.patch(f"/api/v1/groups/{group['id']}", json={"public": False})
    assert response.status_code == 200 and response.json["public"] is False
    assert client.get(f"/directory/{org.id}/meetings.json").json == []
    assert "No circle is listed here" in client.get(f"/directory/{org.id}").text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"public": True}, "registration_url"),
        ({"public": True, "registration_url": None}, "registration_url"),
        ({"public": True, "registration_url": "javascript:alert(1)"}, "registration_url"),
        ({"registration_url": "ftp://example.org/x"}, "registration_url"),
        ({"public": "sometimes"}, "public"),
    ],
)
def test_a_listing_without_a_way_to_ask_for_a_place_is_422(org, body, field):
    response = org.post(
        "/api/v1/groups",
        json={"title": "A circle", "timezone": "UTC", "first_start": "2027-03-01T19:00:00", **body},
    )
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert set(response.json["errors"]) == {field}


def test_patch_keeps_the_listing_rule_and_the_filter_finds_listed_groups(org, other_org):
    plain = create_group(org)
    refused = org.patch(f"/api/v1/groups/{plain['id']}", json={"public": True})
    assert refused.status_code == 422 and set(refused.json["errors"]) == {"registration_url"}
    public = listed(org)
    cleared = org.patch(f"/api/v1/groups/{public['id']}", json={"registration_url": None})
    assert cleared.status_code == 422
    assert [g["id"] for g in org.get("/api/v1/groups?public=true").json["items"]] == [public["id"]]
    assert [g["id"] for g in org.get("/api/v1/groups?public=false").json["items"]] == [plain["id"]]
    assert other_org.get("/api/v1/groups?public=true").json["items"] == []
    assert org.get("/api/v1/groups?public=perhaps").status_code == 422
