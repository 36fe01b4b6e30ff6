"""The on-call policy followed for an incident: real webhooks and real e-mail over loopback."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

from service.domain.incidents import record_incident
from service.extensions import db
from service.models import Incident
from service.privacy import redact_path
from tests.api.helpers import make_group, make_session
from tests.oncall.conftest import email_step, page, set_policy, webhook_step

LINK = re.compile(r"http://hearth\.test(/on-call/acknowledge/[\w-]+)")


def raise_incident(org, now: datetime | None = None, region: str | None = "GB") -> Incident:
    """An open incident, as a facilitator's escalation records it, committed."""
    group = make_group(org.id)
    group.region = region
    incident = record_incident(
        organization_id=org.id,
        session_id=make_session(group).id,
        registration_id=None,
        seat_id="p-0123456789abcdef0123",
        pseudonym="Sam",
        external_ref="person-4711",
        severity="high",
        observed="Said they have a plan for tonight.",
        escalated_by=str(uuid.uuid4()),
        source_alert_id=None,
        now=now or datetime.now(UTC),
    )
    db.session.commit()
    return incident


def notification(org, incident: Incident) -> dict:
    response = org.get(f"/api/v1/incidents/{incident.id}")
    assert response.status_code == 200, response.json
    return response.json["notification"]


def test_with_no_route_nothing_is_pretended_and_the_facilitator_is_told_whom_to_call(org):
    incident = raise_incident(org, region="GB")
    assert page() == 0
    body = org.get(f"/api/v1/incidents/{incident.id}").json
    assert body["notification_status"] == "no_route"
    told = body["notification"]
    assert told["status"] == "no_route" and told["attempts"] == [] and told["delivered_to_step"] is None
    assert told["emergency"]["number"] == "999"
    assert "call 999 (GB) yourself" in told["emergency"]["instruction"]


def test_a_route_that_fails_is_tried_once_more_then_the_next_step_at_once(org, receiver, smtp):
    set_policy(org, webhook_step(org, receiver), email_step("first-responder@example.org"))
    start = datetime.now(UTC)
    incident = raise_incident(org, now=start)
    # The receiver is down: the webhook step fails, and is tried again 5 seconds later.
    assert page(start) == 1
    assert page(start + timedelta(seconds=4)) == 0
    assert notification(org, incident)["status"] == "queued"
    # It fails again: the e-mail step is tried in the same pass, well within the step's 300 s.
    assert page(start + timedelta(seconds=5)) == 2
    told = notification(org, incident)
    assert [(a["step"], a["kind"], a["status"], a["error"]) for a in told["attempts"]] == [
        (1, "webhook", "failed", "connection_refused"),
        (1, "webhook", "failed", "connection_refused"),
        (2, "email", "delivered", None),
    ]
    assert told["status"] == "delivered" and told["delivered_to_step"] == 2 and told["emergency"] is None
    [mail] = smtp.mailbox.messages
    assert mail["To"] == "first-responder@example.org"
    text = mail.get_content()
    assert "Sam" in text and "person-4711" in text and "a plan for tonight" not in text


def test_a_webhook_step_is_signed_and_sent_without_any_subscription(org, receiver):
    receiver.start()
    set_policy(org, webhook_step(org, receiver))
    incident = raise_incident(org)
    assert page() == 1
    [received] = receiver.received
    body = json.loads(received.body)
    assert body["type"] == "incident.escalated"
    assert body["data"]["incident_id"] == str(incident.id) and body["data"]["step"] == 1
    assert received.headers["webhook-signature"].startswith("v1,")
    assert notification(org, incident)["status"] == "delivered"


def test_nobody_acknowledging_moves_on_after_the_step_time_and_ends_unacknowledged(org, receiver, smtp):
    receiver.start()
    set_policy(org, webhook_step(org, receiver, ack_seconds=120), email_step(ack_seconds=60))
    start = datetime.now(UTC)
    incident = raise_incident(org, now=start)
    assert page(start) == 1
    assert page(start + timedelta(seconds=119)) == 0
    assert page(start + timedelta(seconds=121)) == 1
    assert len(smtp.mailbox.messages) == 1
    assert page(start + timedelta(seconds=182)) == 0
    told = notification(org, incident)
    assert told["status"] == "unacknowledged" and told["delivered_to_step"] == 2
    assert "Nobody at your organization has been reached" in told["emergency"]["instruction"]


def test_a_route_that_answers_the_second_time_is_delivered(org, receiver):
    set_policy(org, webhook_step(org, receiver))
    start = datetime.now(UTC)
    incident = raise_incident(org, now=start)
    assert page(start) == 1
    receiver.start()
    assert page(start + timedelta(seconds=5)) == 1
    told = notification(org, incident)
    assert told["status"] == "delivered" and told["delivered_to_step"] == 1
    assert [a["status"] for a in told["attempts"]] == ["failed", "delivered"]


def test_every_route_failing_ends_unreached(org, receiver, smtp):
    smtp.mailbox.refuse = True
    set_policy(org, webhook_step(org, receiver), email_step())
    start = datetime.now(UTC)
    incident = raise_incident(org, now=start)
    for seconds in (0, 5, 10, 15):
        page(start + timedelta(seconds=seconds))
    told = notification(org, incident)
    assert told["status"] == "unreached"
    assert [a["error"] for a in told["attempts"]] == [
        "connection_refused",
        "connection_refused",
        "smtp_refused",
        "smtp_refused",
    ]
    assert told["emergency"]["number"] == "999"


def test_the_email_link_acknowledges_once_and_only_on_post(org, client, smtp, receiver):
    receiver.start()
    set_policy(org, email_step(ack_seconds=60), webhook_step(org, receiver))
    start = datetime.now(UTC)
    incident = raise_incident(org, now=start)
    page(start)
    path = LINK.search(smtp.mailbox.messages[0].get_content()).group(1)

    # What a mail scanner does: follow the link. Nothing is acknowledged.
    confirm = client.get(path)
    assert confirm.status_code == 200 and b"acknowledge" in confirm.data
    assert confirm.headers["Cache-Control"] == "no-store"
    assert notification(org, incident)["status"] == "delivered"

    done = client.post(path)
    assert done.status_code == 200 and b"Acknowledged" in done.data
    body = org.get(f"/api/v1/incidents/{incident.id}").json
    assert body["status"] == "acknowledged"
    assert body["notification"]["acknowledged_by"] == {
        "via": "email",
        "step": 1,
        "email": "on-call@example.org",
    }
    # The next step is never tried once someone acknowledged.
    assert page(start + timedelta(seconds=61)) == 0 and receiver.received == []
    assert client.post(path).status_code == 404
    assert client.get(path).status_code == 404
    # The link is a secret: request logs never show it.
    assert redact_path(path) == "/on-call/acknowledge/[redacted]"


def test_acknowledging_over_the_api_stops_the_policy(org, receiver, smtp):
    set_policy(org, email_step(ack_seconds=60), email_step("second@example.org"))
    start = datetime.now(UTC)
    incident = raise_incident(org, now=start)
    page(start)
    assert org.post(f"/api/v1/incidents/{incident.id}/acknowledge").status_code == 200
    assert page(start + timedelta(seconds=61)) == 0
    assert [m["To"] for m in smtp.mailbox.messages] == ["on-call@example.org"]
    told = notification(org, incident)
    assert told["status"] == "acknowledged" and told["acknowledged_by"]["via"] == "api"


def test_email_without_smtp_settings_fails_and_says_why(org, app):
    set_policy(org, email_step())
    incident = raise_incident(org)
    page()
    told = notification(org, incident)
    assert told["status"] == "unreached"
    assert told["attempts"][0]["error"] == "smtp_not_configured"


def test_a_step_is_tried_once_however_many_passes_look(org, smtp):
    set_policy(org, email_step(ack_seconds=600))
    start = datetime.now(UTC)
    raise_incident(org, now=start)
    assert [page(start + timedelta(seconds=s)) for s in (0, 1, 2)] == [1, 0, 0]
    assert len(smtp.mailbox.messages) == 1


def test_another_organizations_incident_is_not_found(org, other_org):
    incident = raise_incident(org)
    assert other_org.get(f"/api/v1/incidents/{incident.id}").status_code == 404


def test_a_link_for_an_incident_acknowledged_meanwhile_says_so_and_stops_working(org, client, smtp):
    set_policy(org, email_step())
    incident = raise_incident(org)
    page()
    path = LINK.search(smtp.mailbox.messages[0].get_content()).group(1)
    assert org.post(f"/api/v1/incidents/{incident.id}/acknowledge").status_code == 200
    late = client.post(path)
    assert late.status_code == 409 and b"already acknowledged" in late.data
    assert client.get(path).status_code == 404
    assert b"a plan for tonight" not in late.data
