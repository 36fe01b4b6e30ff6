"""Facilitators: create with a one-time password link, list, deactivate."""

from __future__ import annotations

import uuid

from service.domain.passwords import verify_password
from service.extensions import db
from service.models import Facilitator


def _create(org, name="Amira", email="amira@example.org"):
    return org.post("/api/v1/facilitators", json={"name": name, "email": email})


def test_create_returns_one_time_password_link(org, client):
    response = _create(org)
    assert response.status_code == 201
    body = response.json
    assert body["has_password"] is False
    url = body["password_setup_url"]
    assert url.startswith("http://hearth.test/facilitator/password/")
    path = url.removeprefix("http://hearth.test")
    token = path.rsplit("/", 1)[-1]
    stored = db.session.get(Facilitator, uuid.UUID(body["id"]))
    assert token not in (stored.password_token_hash or "")

    page = client.get(path)
    assert page.status_code == 200 and b"Amira" in page.data
    mismatch = client.post(path, data={"password": "a long password", "confirm": "other one!!"})
    assert mismatch.status_code == 422
    short = client.post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422
    done = client.post(path, data={"password": "a long password", "confirm": "a long password"})
    assert done.status_code == 200
    db.session.expire_all()
    stored = db.session.get(Facilitator, uuid.UUID(body["id"]))
    assert stored.password_hash.startswith("$argon2")
    assert verify_password(stored.password_hash, "a long password")
    assert client.get(path).status_code == 404, "the link works once"
    assert org.get(f"/api/v1/facilitators/{body['id']}").json["has_password"] is True


def test_list_and_filter(org):
    a = _create(org).json
    _create(org, "Ben", "ben@example.org")
    org.post(f"/api/v1/facilitators/{a['id']}/deactivate")
    everyone = org.get("/api/v1/facilitators").json["items"]
    assert [f["name"] for f in everyone] == ["Amira", "Ben"]
    assert all("password_setup_url" not in f for f in everyone)
    active = org.get("/api/v1/facilitators?active=true").json["items"]
    assert [f["name"] for f in active] == ["Ben"]


def test_deactivate_spends_the_password_link(org, client):
    body = _create(org).json
    response = org.post(f"/api/v1/facilitators/{body['id']}/deactivate")
    assert response.status_code == 200
    assert response.json["active"] is False and response.json["deactivated_at"]
    path = body["password_setup_url"].removeprefix("http://hearth.test")
    assert client.get(path).status_code == 404
    assert org.post(f"/api/v1/facilitators/{body['id']}/password-link").status_code == 409


def test_reissued_link_replaces_the_first(org, client):
    body = _create(org).json
    new = org.post(f"/api/v1/facilitators/{body['id']}/password-link")
    assert new.status_code == 201
    old_path = body["password_setup_url"].removeprefix("http://hearth.test")
    new_path = new.json["password_setup_url"].removeprefix("http://hearth.test")
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200


def test_bad_input_is_422(org):
    response = org.post("/api/v1/facilitators", json={"name": "", "email": "not-an-email"})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"name", "email"}
    assert (
        org.post("/api/v1/facilitators", json={"name": "A", "email": "a@b.org", "role": "x"}).status_code
        == 422
    )


def test_duplicate_email_is_409(org):
    assert _create(org).status_code == 201
    again = _create(org, "Amira B", "AMIRA@example.org")
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"


def test_needs_a_live_key(client, org):
    assert client.post("/api/v1/facilitators", json={"name": "A", "email": "a@b.org"}).status_code == 401
    assert client.get("/api/v1/facilitators").status_code == 401


def test_other_organizations_facilitator_is_404(org, other_org):
    theirs = _create(other_org).json["id"]
    assert org.get(f"/api/v1/facilitators/{theirs}").status_code == 404
    assert org.post(f"/api/v1/facilitators/{theirs}/deactivate").status_code == 404
    assert org.post(f"/api/v1/facilitators/{theirs}/password-link").status_code == 404
    assert org.get("/api/v1/facilitators").json["items"] == []
