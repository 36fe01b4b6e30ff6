"""Webhook endpoints: create with a secret shown once, list, update, rotate, delete."""

from __future__ import annotations

import base64

import pytest

from service.models import WEBHOOK_EVENT_TYPES

URL = "https://hooks.example.org/hearth"


def _create(org, **body):
    return org.post("/api/v1/webhooks", json={"url": URL, "event_types": ["incident.created"], **body})


def _decoded_secret(secret: str) -> bytes:
    assert secret.startswith("whsec_")
    return base64.b64decode(secret.removeprefix("whsec_"), validate=True)


def test_create_shows_a_generated_secret_once(org):
    response = _create(org, description="Alerts to the on-call lead")
    assert response.status_code == 201
    body = response.json
    assert body["url"] == URL and body["event_types"] == ["incident.created"]
    assert body["enabled"] is True and body["description"] == "Alerts to the on-call lead"
    assert len(_decoded_secret(body["secret"])) == 32
    assert body["secret"].startswith(body["secret_prefix"])

    read = org.get(f"/api/v1/webhooks/{body['id']}").json
    assert "secret" not in read and read["secret_prefix"] == body["secret_prefix"]
    listed = org.get("/api/v1/webhooks").json["items"]
    assert [w["id"] for w in listed] == [body["id"]]
    assert "secret" not in listed[0]


def test_a_given_secret_is_kept(org):
    secret = "whsec_" + base64.b64encode(bytes(range(32))).decode()
    assert _create(org, secret=secret).json["secret"] == secret


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "not a url"}, "url"),
        ({"url": "ftp://hooks.example.org/x"}, "url"),
        ({"url": "/relative/path"}, "url"),
        ({"url": "https://user:pw@hooks.example.org/x"}, "url"),
        ({"url": "  "}, "url"),
        ({"event_types": []}, "event_types"),
        ({"event_types": ["incident.created", "incident.created"]}, "event_types"),
        ({"event_types": ["room.exploded"]}, "event_types.0"),
        ({"secret": "whsec_short"}, "secret"),
        ({"secret": "plain-secret-of-the-right-length-maybe-000000"}, "secret"),
        ({"secret": "whsec_" + base64.b64encode(bytes(300)).decode()}, "secret"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_input_is_422_with_field_names(org, body, field):
    response = _create(org, **body)
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_plain_http_only_where_allowed(app, org):
    app.config["WEBHOOKS_ALLOW_HTTP"] = False
    refused = _create(org, url="http://hooks.example.org/x")
    assert refused.status_code == 422 and "url" in refused.json["errors"]
    app.config["WEBHOOKS_ALLOW_HTTP"] = True
    assert _create(org, url="http://localhost:8080/hook").status_code == 201


def test_update_changes_only_what_is_given(org):
    body = _create(org).json
    response = org.patch(
        f"/api/v1/webhooks/{body['id']}",
        json={"event_types": list(WEBHOOK_EVENT_TYPES), "enabled": False},
    )
    assert response.status_code == 200
    updated = response.json
    assert updated["event_types"] == list(WEBHOOK_EVENT_TYPES) and updated["enabled"] is False
    assert updated["url"] == URL and "secret" not in updated
    moved = org.patch(f"/api/v1/webhooks/{body['id']}", json={"url": "https://new.example.org/h"})
    assert moved.json["url"] == "https://new.example.org/h" and moved.json["enabled"] is False
    bad = org.patch(f"/api/v1/webhooks/{body['id']}", json={"url": "https://a:b@x.org", "event_types": []})
    assert bad.status_code == 422 and "event_types" in bad.json["errors"]
    creds = org.patch(f"/api/v1/webhooks/{body['id']}", json={"url": "https://a:b@x.org"})
    assert creds.status_code == 422 and "url" in creds.json["errors"]


def test_rotate_secret_replaces_it(org):
    body = _create(org).json
    rotated = org.post(f"/api/v1/webhooks/{body['id']}/rotate-secret")
    assert rotated.status_code == 200
    assert rotated.json["secret"] != body["secret"] and len(_decoded_secret(rotated.json["secret"])) == 32
    assert org.get(f"/api/v1/webhooks/{body['id']}").json["secret_prefix"] == rotated.json["secret_prefix"]


def test_delete(org):
    body = _create(org).json
    assert org.delete(f"/api/v1/webhooks/{body['id']}").status_code == 204
    assert org.get(f"/api/v1/webhooks/{body['id']}").status_code == 404
    assert org.get("/api/v1/webhooks").json["items"] == []


def test_idempotent_create(org):
    headers = {"Idempotency-Key": "hook-1"}
    payload = {"url": URL, "event_types": ["session.started"]}
    first = org.post("/api/v1/webhooks", json=payload, headers=headers)
    again = org.post("/api/v1/webhooks", json=payload, headers=headers)
    assert again.json == first.json
    assert len(org.get("/api/v1/webhooks").json["items"]) == 1


def test_needs_a_live_key(client, org):
    body = _create(org).json
    assert client.get("/api/v1/webhooks").status_code == 401
    assert (
        client.post("/api/v1/webhooks", json={"url": URL, "event_types": ["session.ended"]}).status_code
        == 401
    )
    revoked = {"Authorization": "Bearer hk_unknown"}
    assert client.get(f"/api/v1/webhooks/{body['id']}", headers=revoked).status_code == 401
    assert client.patch(f"/api/v1/webhooks/{body['id']}", json={}).status_code == 401
    assert client.delete(f"/api/v1/webhooks/{body['id']}").status_code == 401
    assert client.post(f"/api/v1/webhooks/{body['id']}/rotate-secret").status_code == 401


def test_other_organizations_endpoint_is_404(org, other_org):
    theirs = _create(other_org).json["id"]
    assert org.get(f"/api/v1/webhooks/{theirs}").status_code == 404
    assert org.patch(f"/api/v1/webhooks/{theirs}", json={"enabled": False}).status_code == 404
    assert org.delete(f"/api/v1/webhooks/{theirs}").status_code == 404
    assert org.post(f"/api/v1/webhooks/{theirs}/rotate-secret").status_code == 404
    assert org.get("/api/v1/webhooks").json["items"] == []
    assert other_org.get(f"/api/v1/webhooks/{theirs}").json["enabled"] is True
