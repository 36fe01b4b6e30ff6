"""API keys: bearer authentication, issuing, listing and revoking."""

from __future__ import annotations

import uuid

from sqlalchemy import event

from service.domain.organizations import (
    API_KEY_TRUST_SECONDS,
    TRUSTED_KEYS_SWEEP_AT,
    KeyHolder,
    TrustedKeys,
    trusted_keys,
)
from service.extensions import db
from service.models import ApiKey, utcnow
from tests.api.helpers import create_group


def test_no_key_is_401_problem(client):
    response = client.get("/api/v1/facilitators")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 401
    assert "Bearer" in response.headers["WWW-Authenticate"]


def test_wrong_scheme_and_unknown_key_are_401(client):
    assert client.get("/api/v1/facilitators", headers={"Authorization": "Basic abc"}).status_code == 401
    bad = {"Authorization": "Bearer hk_not-a-real-key"}
    assert client.get("/api/v1/facilitators", headers=bad).status_code == 401


def test_keys_are_stored_hashed(org):
    stored = db.session.execute(db.select(ApiKey)).scalars().all()
    assert stored and all(org.key not in (k.key_hash, k.prefix) for k in stored)
    assert all(len(k.key_hash) == 64 for k in stored)


def test_issue_list_and_revoke_key(org, client):
    created = org.post("/api/v1/api-keys", json={"name": "Scheduler"})
    assert created.status_code == 201
    body = created.json
    assert body["key"].startswith("hk_") and len(body["key"]) > 40
    new_headers = {"Authorization": f"Bearer {body['key']}"}
    assert client.get("/api/v1/api-keys", headers=new_headers).status_code == 200

    listed = org.get("/api/v1/api-keys").json["items"]
    assert {k["name"] for k in listed} == {"First key", "Scheduler"}
    assert all("key" not in k for k in listed)

    assert org.delete(f"/api/v1/api-keys/{body['id']}").status_code == 204
    revoked = client.get("/api/v1/api-keys", headers=new_headers)
    assert revoked.status_code == 401
    assert org.get(f"/api/v1/api-keys/{body['id']}").json["revoked_at"] is not None


def test_revoked_first_key_is_401(org):
    first = org.get("/api/v1/api-keys").json["items"][0]
    assert org.delete(f"/api/v1/api-keys/{first['id']}").status_code == 204
    assert org.get("/api/v1/api-keys").status_code == 401


def test_key_create_bad_input_is_422_with_field_messages(org):
    response = org.post("/api/v1/api-keys", json={"name": ""})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "name" in response.json["errors"]
    unknown = org.post("/api/v1/api-keys", json={"name": "x", "scope": "all"})
    assert unknown.status_code == 422
    assert "scope" in unknown.json["errors"]


def test_other_organizations_key_is_404(org, other_org):
    theirs = other_org.get("/api/v1/api-keys").json["items"][0]["id"]
    assert org.get(f"/api/v1/api-keys/{theirs}").status_code == 404
    assert org.delete(f"/api/v1/api-keys/{theirs}").status_code == 404
    assert other_org.get("/api/v1/api-keys").status_code == 200
    assert org.get(f"/api/v1/api-keys/{uuid.uuid4()}").status_code == 404


def test_oversized_body_is_413(org, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = org.post("/api/v1/api-keys", json={"name": "x" * (limit + 10)})
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_idempotency_key_returns_first_result(org):
    headers = {"Idempotency-Key": "abc-123"}
    first = org.post("/api/v1/api-keys", json={"name": "Once"}, headers=headers)
    again = org.post("/api/v1/api-keys", json={"name": "Once"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json == again.json
    assert again.headers["Idempotent-Replayed"] == "true"
    names = [k["name"] for k in org.get("/api/v1/api-keys").json["items"]]
    assert names.count("Once") == 1
    other_body = org.post("/api/v1/api-keys", json={"name": "Twice"}, headers=headers)
    assert other_body.status_code == 422


def test_idempotency_keys_are_per_organization(org, other_org):
    headers = {"Idempotency-Key": "shared"}
    mine = org.post("/api/v1/api-keys", json={"name": "A"}, headers=headers)
    theirs = other_org.post("/api/v1/api-keys", json={"name": "A"}, headers=headers)
    assert mine.status_code == theirs.status_code == 201
    assert mine.json["id"] != theirs.json["id"]


def test_failed_request_does_not_burn_the_key(org):
    headers = {"Idempotency-Key": "retry-me"}
    assert org.post("/api/v1/api-keys", json={"name": ""}, headers=headers).status_code == 422
    assert org.post("/api/v1/api-keys", json={"name": ""}, headers=headers).status_code == 422


def test_pagination_follows_next_links(org):
    for i in range(5):
        org.post("/api/v1/api-keys", json={"name": f"k{i}"})
    seen = []
    page = org.get("/api/v1/api-keys?limit=2").json
    while True:
        seen += [k["name"] for k in page["items"]]
        if not page["next"]:
            break
        page = org.get(page["next"].replace("http://localhost", "")).json
    assert seen == ["First key", "k0", "k1", "k2", "k3", "k4"]


def test_bad_cursor_and_limit_are_422(org):
    assert org.get("/api/v1/api-keys?cursor=nonsense").status_code == 422
    assert org.get("/api/v1/api-keys?limit=0").status_code == 422
    assert org.get("/api/v1/api-keys?limit=1000").status_code == 422


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_revoked_by_another_process_is_refused_within_the_trust_bound(app, org, monkeypatch):
    clock = FakeClock()
    with app.app_context():
        monkeypatch.setattr(trusted_keys(), "clock", clock)
    assert org.get("/api/v1/api-keys").status_code == 200
    # Another process revokes it: this one's trusted keys are not told.
    first = db.session.execute(db.select(ApiKey).where(ApiKey.organization_id == org.id)).scalar_one()
    first.revoked_at = utcnow()
    db.session.commit()
    clock.now += API_KEY_TRUST_SECONDS - 0.01
    assert org.get("/api/v1/api-keys").status_code == 200
    clock.now += 0.01
    refused = org.get("/api/v1/api-keys")
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    clock.now += API_KEY_TRUST_SECONDS
    assert org.get("/api/v1/api-keys").status_code == 401


def test_a_trusted_key_costs_no_statement_and_a_page_of_sessions_one(app, org):
    for title in ("Monday circle", "Tuesday circle", "Wednesday circle", "Thursday circle"):
        create_group(org, title=title)
    assert org.get("/api/v1/sessions?limit=50").status_code == 200
    statements = []
    record = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = org.get("/api/v1/sessions?limit=50")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert page.status_code == 200 and len(page.json["items"]) == 50 and page.json["next"]
    assert len(statements) == 1 and "FROM sessions JOIN groups" in statements[0]


def test_trusted_keys_drop_the_expired_once_there_are_many():
    clock = FakeClock()
    keys = TrustedKeys(seconds=5, clock=clock)
    holder = KeyHolder(key_id=uuid.uuid4(), organization_id=uuid.uuid4())
    for number in range(TRUSTED_KEYS_SWEEP_AT):
        keys.trust(f"old-{number}", holder)
    clock.now += 5
    keys.trust("new", holder)
    assert keys.get("new") == holder and keys.get("old-0") is None
    assert len(keys._holders) == 1
