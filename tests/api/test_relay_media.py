"""Relaying media through TURN: the organization's default, a group's choice, refused without TURN."""

from __future__ import annotations

import pytest

from service.domain.relay import RELAY_UNAVAILABLE
from tests.api.helpers import create_group

TURN = {"HEARTH_TURN_URLS": ["turn:turn.example.org:3478"], "HEARTH_TURN_SECRET": "shared"}


@pytest.fixture
def with_turn(app):
    app.config.update(TURN)


def test_the_organization_default_is_unset_until_chosen(org, with_turn):
    assert org.get("/api/v1/organization").json["relay_media"] is None
    on = org.patch("/api/v1/organization", json={"relay_media": True})
    assert on.status_code == 200 and on.json["relay_media"] is True
    assert org.get("/api/v1/organization").json["relay_media"] is True
    assert org.patch("/api/v1/organization", json={"relay_media": None}).json["relay_media"] is None


def test_relaying_cannot_be_turned_on_without_a_turn_server(org, app):
    app.config.update(HEARTH_TURN_URLS=["turn:turn.example.org:3478"], HEARTH_TURN_SECRET=None)
    refused = org.patch("/api/v1/organization", json={"relay_media": True, "name": "Renamed"})
    assert refused.status_code == 422 and refused.content_type == "application/problem+json"
    assert refused.json["errors"] == {"relay_media": [RELAY_UNAVAILABLE]}
    body = org.get("/api/v1/organization").json
    assert body["relay_media"] is None and body["name"] == "Riverside Peer Support"
    # Turning it off, or back to the deployment's default, needs no TURN server.
    assert org.patch("/api/v1/organization", json={"relay_media": False}).json["relay_media"] is False


def test_a_group_chooses_for_itself_or_follows_its_organization(org, with_turn):
    follows = create_group(org)
    assert follows["relay_media"] is None
    relayed = create_group(org, relay_media=True)
    assert relayed["relay_media"] is True
    changed = org.patch(f"/api/v1/groups/{relayed['id']}", json={"relay_media": False})
    assert changed.status_code == 200 and changed.json["relay_media"] is False
    title_only = org.patch(f"/api/v1/groups/{relayed['id']}", json={"title": "Renamed"})
    assert title_only.json["relay_media"] is False, "a PATCH without the field leaves it be"


def test_a_group_cannot_ask_for_relaying_without_a_turn_server(org):
    refused = org.post(
        "/api/v1/groups",
        json={
            "title": "Relayed circle",
            "timezone": "Europe/London",
            "first_start": "2027-03-01T19:00:00",
            "relay_media": True,
        },
    )
    assert refused.status_code == 422 and refused.json["errors"] == {"relay_media": [RELAY_UNAVAILABLE]}
    group = create_group(org)
    patched = org.patch(f"/api/v1/groups/{group['id']}", json={"relay_media": True})
    assert patched.status_code == 422 and patched.json["errors"] == {"relay_media": [RELAY_UNAVAILABLE]}
    assert org.get(f"/api/v1/groups/{group['id']}").json["relay_media"] is None


@pytest.mark.parametrize("value", ["maybe", "yes", "true", 1, 0, 2, [], {}])
def test_relay_media_is_a_boolean_or_null(org, with_turn, value):
    response = org.patch("/api/v1/organization", json={"relay_media": value})
    assert response.status_code == 422 and set(response.json["errors"]) == {"relay_media"}
