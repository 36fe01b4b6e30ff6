"""Rules every operation of the OpenAPI document keeps, checked operation by operation."""

from __future__ import annotations

import uuid

import pytest

from service import create_app
from service.config import Settings


def _operations() -> list[tuple[str, str, bool]]:
    app = create_app(Settings.from_environ(), SQLALCHEMY_DATABASE_URI="sqlite://")
    spec = app.extensions["hearth_api"].spec.to_dict()
    operations = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                operations.append((method, path, "requestBody" in op))
    return operations


OPERATIONS = _operations()
BODY_OPERATIONS = [(m, p) for m, p, has_body in OPERATIONS if has_body]


PATH_PARAMETERS = (
    "group_id",
    "session_id",
    "registration_id",
    "facilitator_id",
    "key_id",
    "endpoint_id",
    "resource_id",
    "delivery_id",
    "incident_id",
)


def _url(path: str) -> str:
    for name in PATH_PARAMETERS:
        path = path.replace("{" + name + "}", str(uuid.uuid4()))
    assert "{" not in path, f"unfilled parameter in {path}"
    return path


def test_the_document_lists_every_resource():
    paths = {p for _m, p, _b in OPERATIONS}
    for expected in (
        "/api/v1/api-keys",
        "/api/v1/facilitators",
        "/api/v1/groups",
        "/api/v1/sessions",
        "/api/v1/groups/{group_id}/registrations",
        "/api/v1/sessions/{session_id}/registrations",
        "/api/v1/webhooks",
        "/api/v1/groups/{group_id}/calendar.ics",
        "/api/v1/crisis-resources",
        "/api/v1/crisis-resources/directory",
        "/api/v1/incidents",
        "/api/v1/incidents/{incident_id}",
    ):
        assert expected in paths


@pytest.mark.parametrize(("method", "path", "_has_body"), OPERATIONS)
def test_without_a_key_every_operation_is_401(client, org, method, path, _has_body):
    response = client.open(_url(path), method=method.upper(), json={} if _has_body else None)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(("method", "path", "_has_body"), OPERATIONS)
def test_with_a_revoked_key_every_operation_is_401(client, org, method, path, _has_body):
    issued = org.post("/api/v1/api-keys", json={"name": "soon revoked"}).json
    assert org.delete(f"/api/v1/api-keys/{issued['id']}").status_code == 204
    headers = {"Authorization": f"Bearer {issued['key']}"}
    response = client.open(_url(path), method=method.upper(), headers=headers, json={} if _has_body else None)
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS)
def test_oversized_bodies_are_413(app, org, method, path):
    body = {"description": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)}
    response = org.client.open(_url(path), method=method.upper(), headers=org.headers(), json=body)
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS)
def test_non_object_bodies_are_422(org, method, path):
    response = org.client.open(_url(path), method=method.upper(), headers=org.headers(), json=[1, 2])
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_creates_answer_201_with_the_location_of_the_new_resource(org):
    facilitator = org.post("/api/v1/facilitators", json={"name": "Amira", "email": "a@example.org"})
    group = org.post(
        "/api/v1/groups",
        json={"title": "Circle", "timezone": "Europe/London", "first_start": "2030-03-04T19:00:00"},
    )
    creates = [
        org.post("/api/v1/api-keys", json={"name": "Scheduler"}),
        facilitator,
        group,
        org.post(f"/api/v1/groups/{group.json['id']}/registrations", json={}),
        org.post(
            "/api/v1/webhooks",
            json={"url": "https://hooks.example.org/hearth", "event_types": ["session.started"]},
        ),
        org.post(
            "/api/v1/crisis-resources",
            json={
                "name": "Riverside warmline",
                "kind": "warmline",
                "region": "US",
                "contacts": [{"channel": "call", "value": "555-0100"}],
                "hours": "Evenings",
                "source": "https://riverside.example.org/warmline",
            },
        ),
    ]
    for response in creates:
        assert response.status_code == 201, response.json
        location = response.headers["Location"]
        read = org.get(location.removeprefix("http://localhost"))
        assert read.status_code == 200
        assert read.json["id"] == response.json["id"]
