"""/api/v1/on-call-policy: ordered routes, their readiness, and every refusal."""

from __future__ import annotations

import uuid

from tests.oncall.conftest import email_step
from tests.webhooks.conftest import add_endpoint


def put(org, steps):
    return org.put("/api/v1/on-call-policy", json={"steps": steps})


def test_an_organization_without_a_route_is_told_it_is_not_ready(org):
    body = org.get("/api/v1/on-call-policy").json
    assert body["steps"] == []
    assert body["readiness"]["ready"] is False and body["readiness"]["problem"] == "no_route"
    assert "reach nobody" in body["readiness"]["message"]


def test_steps_are_kept_in_order_and_replace_the_whole_policy(org, smtp):
    endpoint = add_endpoint(org.id, "https://hooks.example.org/pager", event_types=["session.started"])
    response = put(
        org,
        [
            {"kind": "webhook", "endpoint_id": str(endpoint.id), "ack_seconds": 120},
            {"kind": "email", "email": "lead@example.org", "ack_seconds": 600},
        ],
    )
    assert response.status_code == 200, response.json
    assert [(s["position"], s["kind"], s["endpoint_id"], s["email"]) for s in response.json["steps"]] == [
        (1, "webhook", str(endpoint.id), None),
        (2, "email", None, "lead@example.org"),
    ]
    assert response.json["readiness"] == {"ready": True, "routes": 2, "problem": None, "message": None}
    assert put(org, [email_step("only@example.org")]).status_code == 200
    assert [s["email"] for s in org.get("/api/v1/on-call-policy").json["steps"]] == ["only@example.org"]


def test_email_steps_without_smtp_settings_are_not_ready(org):
    response = put(org, [email_step("lead@example.org")])
    assert response.status_code == 200
    assert response.json["readiness"]["problem"] == "routes_unusable"


def test_a_disabled_endpoint_is_no_usable_route(org):
    endpoint = add_endpoint(org.id)
    assert org.patch(f"/api/v1/webhooks/{endpoint.id}", json={"enabled": False}).status_code == 200
    response = put(org, [{"kind": "webhook", "endpoint_id": str(endpoint.id), "ack_seconds": 60}])
    assert response.json["readiness"]["ready"] is False


def test_refusals_name_the_field(org, other_org):
    theirs = add_endpoint(other_org.id)
    cases = [
        ([{"kind": "webhook", "endpoint_id": str(theirs.id), "ack_seconds": 60}], "endpoint_id"),
        ([{"kind": "webhook", "endpoint_id": str(uuid.uuid4()), "ack_seconds": 60}], "endpoint_id"),
        ([{"kind": "webhook", "ack_seconds": 60}], "endpoint_id"),
        ([{"kind": "email", "email": "not an address", "ack_seconds": 60}], "email"),
        ([{"kind": "email", "email": "a@example.org", "ack_seconds": 5}], "ack_seconds"),
        ([{"kind": "sms", "email": "a@example.org", "ack_seconds": 60}], "kind"),
        ([{"kind": "email", "email": "a@example.org", "ack_seconds": 60, "priority": 1}], "priority"),
    ]
    for steps, field in cases:
        response = put(org, steps)
        assert response.status_code == 422, (steps, response.json)
        assert response.mimetype == "application/problem+json"
        assert field in str(response.json), (field, response.json)
    assert org.get("/api/v1/on-call-policy").json["steps"] == []


def test_the_policy_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "put"} <= set(paths["/api/v1/on-call-policy"])
