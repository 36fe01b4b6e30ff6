"""/api/v1/crisis-resources: the organization's own lines, and what a region's people see."""

from __future__ import annotations

from datetime import date

import pytest

from service.domain.organizations import create_organization
from service.extensions import db
from service.models import CrisisResource

BASE = "/api/v1/crisis-resources"
LINE = {
    "name": "Riverside peer warmline",
    "kind": "warmline",
    "region": "us",
    "contacts": [
        {"channel": "call", "value": " 555-0100 ", "note": "Ask for a peer"},
        {"channel": "chat", "value": "https://riverside.example.org/chat"},
    ],
    "hours": "Every evening, 6 p.m. to midnight",
    "url": "https://riverside.example.org/warmline",
    "source": "https://riverside.example.org/warmline",
}


def _create(org, **fields):
    return org.post(BASE, json={**LINE, **fields})


def test_create_read_list_and_location(org):
    response = _create(org)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["region"] == "US" and body["kind"] == "warmline"
    assert body["contacts"] == [
        {"channel": "call", "value": "555-0100", "note": "Ask for a peer"},
        {"channel": "chat", "value": "https://riverside.example.org/chat", "note": None},
    ]
    assert body["checked_on"] == date.today().isoformat()
    assert response.headers["Location"].endswith(f"{BASE}/{body['id']}")
    assert org.get(f"{BASE}/{body['id']}").json == body
    assert [r["id"] for r in org.get(BASE).json["items"]] == [body["id"]]


def test_a_given_check_date_is_kept(org):
    assert _create(org, checked_on="2026-10-01").json["checked_on"] == "2026-10-01"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "hotline"}, "kind"),
        ({"region": "United States"}, "region"),
        ({"region": "U1"}, "region"),
        ({"region": None}, "region"),
        ({"contacts": []}, "contacts"),
        ({"contacts": [{"channel": "fax", "value": "1"}]}, "contacts.0.channel"),
        ({"contacts": [{"channel": "call", "value": "1", "colour": "red"}]}, "contacts.0.colour"),
        ({"contacts": [{"channel": "call", "value": ""}]}, "contacts.0.value"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"hours": ""}, "hours"),
        ({"name": "x" * 201}, "name"),
        ({"source": ""}, "source"),
        ({"checked_on": "yesterday"}, "checked_on"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_input_is_422_and_creates_nothing(org, fields, field):
    response = _create(org, **fields)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]
    assert db.session.execute(db.select(CrisisResource)).first() is None


@pytest.mark.parametrize("missing", ["name", "kind", "region", "contacts", "hours", "source"])
def test_required_fields(org, missing):
    body = {k: v for k, v in LINE.items() if k != missing}
    response = org.post(BASE, json=body)
    assert response.status_code == 422 and missing in response.json["errors"]


def test_list_filters_by_region_and_kind_and_pages(org):
    ids = [_create(org, region=r, kind=k).json["id"] for r, k in [("US", "crisis"), ("GB", "warmline")] * 3]
    assert [r["id"] for r in org.get(f"{BASE}?region=gb").json["items"]] == ids[1::2]
    assert [r["id"] for r in org.get(f"{BASE}?kind=crisis").json["items"]] == ids[0::2]
    assert org.get(f"{BASE}?region=nowhere").status_code == 422
    seen, url = [], f"{BASE}?limit=4"
    while url:
        page = org.get(url).json
        seen += [r["id"] for r in page["items"]]
        url = page["next"] and page["next"].removeprefix("http://localhost")
    assert seen == ids


def test_patch_changes_only_what_is_given(org):
    body = _create(org).json
    response = org.patch(f"{BASE}/{body['id']}", json={"hours": "Weekends", "url": None, "region": "us-ny"})
    assert response.status_code == 200
    updated = response.json
    assert updated["hours"] == "Weekends" and updated["url"] is None and updated["region"] == "US-NY"
    assert updated["name"] == body["name"] and updated["contacts"] == body["contacts"]
    refused = org.patch(f"{BASE}/{body['id']}", json={"kind": "hotline", "hours": "Never"})
    assert refused.status_code == 422 and "kind" in refused.json["errors"]
    assert org.get(f"{BASE}/{body['id']}").json["hours"] == "Weekends"


def test_delete(org):
    body = _create(org).json
    assert org.delete(f"{BASE}/{body['id']}").status_code == 204
    assert org.get(f"{BASE}/{body['id']}").status_code == 404
    assert org.delete(f"{BASE}/{body['id']}").status_code == 404


def test_another_organization_sees_and_touches_nothing(org, other_org):
    body = _create(org).json
    assert other_org.get(BASE).json["items"] == []
    for call in (other_org.get, other_org.delete):
        assert call(f"{BASE}/{body['id']}").status_code == 404
    assert other_org.patch(f"{BASE}/{body['id']}", json={"hours": "x"}).status_code == 404
    assert body["id"] not in [r["id"] for r in other_org.get(f"{BASE}/directory?region=US").json["resources"]]
    assert org.get(f"{BASE}/{body['id']}").json == body


def test_directory_shows_what_a_person_in_the_region_sees(org):
    own = _create(org, kind="crisis").json
    shown = org.get(f"{BASE}/directory?region=US").json
    assert shown["region"] == "US"
    ids = [r["id"] for r in shown["resources"]]
    assert ids[:2] == [own["id"], "us-988-lifeline"]
    assert ids[-2:] == ["intl-emergency", "intl-find-a-helpline"]
    first = shown["resources"][0]
    assert "created_at" not in first and first["checked_on"] == own["checked_on"]
    gb = [r["region"] for r in org.get(f"{BASE}/directory?region=gb").json["resources"]]
    assert set(gb) == {"GB", "INTL"}
    assert org.get(f"{BASE}/directory?region=Narnia").status_code == 422


def test_directory_without_a_region(app, org):
    # The org fixture's default region is US; an organization without one sees the fallback.
    assert org.get(f"{BASE}/directory").json["resources"][0]["id"] == "us-988-lifeline"
    issued = create_organization("No region yet")
    headers = {"Authorization": f"Bearer {issued.secret}"}
    shown = app.test_client().get(f"{BASE}/directory", headers=headers).json
    assert shown["region"] is None
    assert [r["region"] for r in shown["resources"]] == ["INTL", "INTL"]
