"""Webhook signing secrets are sealed at rest: the database never holds one in clear, deliveries
still verify at a real receiver, and a deployment with the wrong key fails loudly, sending nothing."""

from __future__ import annotations

import base64
import logging
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from service import create_app
from service.config import Settings
from service.delivery import worker
from service.domain import outbox, webhooks
from service.extensions import db
from service.models import WebhookAttempt, WebhookEndpoint
from service.sealing import SealError, seal, sealing_key, unseal
from tests.webhooks.conftest import add_issued_endpoint
from tests.webhooks.receiver import verify


def _stored(endpoint_id: uuid.UUID) -> dict:
    row = db.session.execute(
        sa.text("SELECT * FROM webhook_endpoints WHERE id = :id"), {"id": endpoint_id.hex}
    ).mappings()
    return dict(row.one())


def test_the_database_never_holds_the_clear_secret_and_deliveries_verify(org, receiver):
    created = org.post(
        "/api/v1/webhooks", json={"url": receiver.url, "event_types": ["session.started"]}
    ).json
    endpoint_id = uuid.UUID(created["id"])
    rotated = org.post(f"/api/v1/webhooks/{endpoint_id}/rotate-secret").json["secret"]
    secret_bytes = base64.b64decode(rotated.removeprefix("whsec_"))

    stored = _stored(endpoint_id)
    assert "secret" not in stored, "no column of the old clear form is left"
    everything = " ".join(str(value) for value in stored.values())
    for clear in (rotated, rotated.removeprefix("whsec_"), created["secret"], secret_bytes.hex()):
        assert clear not in everything
    assert stored["sealed_secret"].startswith("v1.") and stored["secret_hint"] == rotated[:10]
    assert org.get(f"/api/v1/webhooks/{endpoint_id}").json["secret_prefix"] == rotated[:10]

    receiver.start()
    outbox.enqueue(org.id, "session.started", {"session_id": "s1"})
    db.session.commit()
    assert worker.deliver_due() == 1
    assert len(receiver.received) == 1 and verify(rotated, receiver.received[0])
    assert not verify(created["secret"], receiver.received[0]), "the rotated-out secret signs nothing"


def test_with_the_wrong_key_nothing_is_sent_and_the_failure_is_loud(app, org, receiver, caplog):
    issued = add_issued_endpoint(org.id, url=receiver.url)
    receiver.start()
    app.config["HEARTH_DATA_KEY"] = "another deployment's key, at least 32 characters"
    with pytest.raises(SealError, match="HEARTH_DATA_KEY"):
        webhooks.signing_secret(issued.endpoint)

    outbox.enqueue(org.id, "session.started", {"session_id": "s1"})
    db.session.commit()
    with caplog.at_level(logging.ERROR, logger="hearth.webhooks"):
        assert worker.deliver_due() == 1
    assert receiver.received == []
    attempt = db.session.execute(db.select(WebhookAttempt)).scalar_one()
    assert attempt.error == "secret_unreadable" and attempt.status_code is None
    assert "cannot be opened with this deployment's key" in caplog.text
    assert issued.secret not in caplog.text

    app.config["HEARTH_DATA_KEY"] = None
    assert webhooks.signing_secret(issued.endpoint) == issued.secret


def test_a_sealed_secret_opens_only_for_its_own_endpoint_and_unaltered(org):
    first = add_issued_endpoint(org.id).endpoint
    second = add_issued_endpoint(org.id).endpoint
    second.sealed_secret = first.sealed_secret
    with pytest.raises(SealError):
        webhooks.signing_secret(second)
    key = sealing_key()
    sealed = seal(key, "whsec_x", b"here")
    assert unseal(key, sealed, b"here") == "whsec_x"
    # A character inside the text: every one of its bits counts (the last one's low bits may not).
    altered = sealed[:10] + ("A" if sealed[10] != "A" else "B") + sealed[11:]
    for value, context in ((altered, b"here"), (sealed, b"there"), ("whsec_x", b"here"), ("v1.!!", b"here")):
        with pytest.raises(SealError):
            unseal(key, value, context)


def test_the_migration_seals_existing_secrets_and_downgrade_opens_them(tmp_path):
    app = create_app(Settings.from_environ(), SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.db'}")
    secret = webhooks.new_secret()
    endpoint_id, organization_id = uuid.uuid4(), uuid.uuid4()
    with app.app_context():
        upgrade(revision="o6org_attendance_notes")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text("INSERT INTO organizations (id, name, created_at) VALUES (:id, 'Org', '2030-01-01')"),
                {"id": organization_id.hex},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO webhook_endpoints (id, organization_id, url, description, secret, "
                    "event_types, enabled, created_at, updated_at) VALUES (:id, :org, 'https://h.example', "
                    "'', :secret, '[]', 1, '2030-01-01', '2030-01-01')"
                ),
                {"id": endpoint_id.hex, "org": organization_id.hex, "secret": secret},
            )
        upgrade()
        with db.engine.connect() as conn:
            row = conn.execute(sa.text("SELECT * FROM webhook_endpoints")).mappings().one()
        assert secret not in " ".join(str(v) for v in row.values())
        assert webhooks.signing_secret(db.session.get(WebhookEndpoint, endpoint_id)) == secret
        db.session.remove()

        downgrade(revision="o6org_attendance_notes")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT secret FROM webhook_endpoints")).scalar_one() == secret
        db.engine.dispose()
