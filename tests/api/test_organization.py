"""The organization's own settings: read and change them, and only one's own."""

from __future__ import annotations

from service.schemas.groups import DEFAULT_AGREEMENT


def test_read_and_change_name_and_default_region(org, other_org):
    body = org.get("/api/v1/organization").json
    assert body["id"] == str(org.id) and body["name"] == "Riverside Peer Support"
    assert body["default_region"] == "US" and body["default_agreement"] == list(DEFAULT_AGREEMENT)
    assert body["exit_url"] is None

    changed = org.patch(
        "/api/v1/organization", json={"name": "  Riverside Circles ", "default_region": "gb-sct"}
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["name"], changed.json["default_region"]) == ("Riverside Circles", "GB-SCT")
    assert org.get("/api/v1/organization").json == changed.json
    assert other_org.get("/api/v1/organization").json["name"] == "Elsewhere Wellbeing"
    assert org.patch("/api/v1/organization", json={"default_region": None}).json["default_region"] is None
    exit_page = org.patch("/api/v1/organization", json={"exit_url": "https://weather.example.org/"})
    assert exit_page.json["exit_url"] == "https://weather.example.org/"


def test_bad_and_unknown_fields_are_refused_with_field_messages(org):
    bad = {"name": "", "default_region": "Narnia", "exit_url": "javascript:alert(1)", "id": "x"}
    response = org.patch("/api/v1/organization", json=bad)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert set(response.json["errors"]) == {"name", "default_region", "exit_url", "id"}
    assert org.get("/api/v1/organization").json["name"] == "Riverside Peer Support"
