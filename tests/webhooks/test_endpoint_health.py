"""An endpoint that keeps failing is visible in the API and the console, and its organization is told."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.delivery import health_notices, oncall, worker
from service.domain import oncall_policy, outbox
from service.domain.incidents import record_incident
from service.extensions import db
from service.models import EndpointNotice, utcnow
from tests.api.helpers import make_group
from tests.web.test_console_pages import add_session, assign
from tests.web.test_signin import PASSWORD, make_facilitator, sign_in
from tests.webhooks.conftest import add_endpoint

EMAIL = {"kind": "email", "email": "duty@example.org", "ack_seconds": 300}


@pytest.fixture
def facilitator(org, client):
    person = make_facilitator(org.id)
    assert sign_in(client, "amira@example.org", PASSWORD).status_code == 302
    return person


def health(org, endpoint) -> dict:
    [listed] = [e for e in org.get("/api/v1/webhooks").json["items"] if e["id"] == str(endpoint.id)]
    return listed["health"]


def fail_for(org, minutes: int, times: int) -> None:
    """Deliveries that all fail (the receiver is down), `times` of them over `minutes`."""
    for i in range(times):
        outbox.enqueue(org.id, "session.started", {"session_id": f"s{i}"})
        db.session.commit()
        # Each new delivery is due at once; earlier ones wait for their retry.
        worker.deliver_due(utcnow() + timedelta(minutes=minutes * i / max(times - 1, 1)), limit=1)


def back_by_an_hour(endpoint) -> None:
    """As if the endpoint's failures had begun an hour ago."""
    db.session.execute(
        db.update(type(endpoint))
        .where(type(endpoint).id == endpoint.id)
        .values(failing_since=utcnow() - timedelta(hours=1))
    )
    db.session.commit()


def reached_again(org, receiver, at) -> None:
    """The receiver is up again, and a delivery due at `at` reaches it."""
    receiver.start()
    outbox.enqueue(org.id, "session.started", {"session_id": "back"})
    db.session.commit()
    worker.deliver_due(at)


def later(minutes: int):
    return utcnow() + timedelta(minutes=minutes)


def test_health_counts_failures_in_a_row_and_keeps_only_the_kind_of_error(org, receiver):
    endpoint = add_endpoint(org.id, url=receiver.url)
    assert health(org, endpoint)["status"] == "untried"
    receiver.status = 500
    receiver.start()
    fail_for(org, minutes=0, times=2)
    told = health(org, endpoint)
    assert (told["status"], told["consecutive_failures"], told["last_error"], told["last_status_code"]) == (
        "failing",
        2,
        "http_status",
        500,
    )
    assert told["failing_since"] and told["organization_told_at"] is None
    # The receiver's body ("receiver says: xxx…") is in the delivery log's excerpt, never in health.
    assert "receiver says" not in str(org.get("/api/v1/webhooks").json)
    receiver.status = 204
    outbox.enqueue(org.id, "session.started", {"session_id": "s9"})
    db.session.commit()
    worker.deliver_due(later(1))
    told = health(org, endpoint)
    assert (told["status"], told["consecutive_failures"], told["failing_since"]) == ("healthy", 0, None)
    assert told["last_success_at"]


def test_a_down_endpoint_is_told_once_to_the_policys_email_steps_and_again_when_it_is_back(
    org, receiver, smtp
):
    endpoint = add_endpoint(org.id, url=receiver.url)
    oncall_policy.replace_policy(org.id, [EMAIL, {**EMAIL, "ack_seconds": 600}])
    fail_for(org, minutes=40, times=3)
    # Not yet long enough by the clock of now: failing, nobody told.
    assert health(org, endpoint)["status"] == "failing"
    assert health_notices.send_due() == 0
    assert health_notices.send_due(later(45)) == 1
    # One e-mail per address, however many steps name it.
    [mail] = smtp.mailbox.messages
    assert mail["To"] == "duty@example.org"
    assert "are failing" in mail["Subject"] and "127.0.0.1" in mail["Subject"]
    body = mail.get_content()
    assert "3 attempts in a row failed" in body and "refused the connection" in body
    assert "/hooks/hearth" not in body, "the endpoint's path is not put in an e-mail"
    back_by_an_hour(endpoint)
    told = health(org, endpoint)
    assert told["status"] == "down" and told["organization_told_at"]
    # Told once, however long it stays down.
    assert health_notices.send_due(later(120)) == 0
    fail_for(org, minutes=0, times=1)
    assert health_notices.send_due(later(180)) == 0
    assert len(smtp.mailbox.messages) == 1

    reached_again(org, receiver, later(200))
    assert health_notices.send_due(later(201)) == 1
    assert "work again" in smtp.mailbox.messages[-1]["Subject"]
    assert health(org, endpoint)["organization_told_at"] is None
    assert health_notices.send_due(later(202)) == 0


def test_without_an_email_step_nobody_is_said_to_be_told(org, receiver, smtp):
    endpoint = add_endpoint(org.id, url=receiver.url)
    fail_for(org, minutes=40, times=3)
    assert health_notices.send_due(later(45)) == 1
    assert smtp.mailbox.messages == []
    assert health(org, endpoint)["organization_told_at"] is None
    # The claim is kept: it is not tried again every second.
    assert health_notices.send_due(later(50)) == 0


def raise_incident(org):
    group = make_group(org.id)
    made = record_incident(
        organization_id=org.id,
        session_id=add_session(group, timedelta(minutes=0), status="live").id,
        registration_id=None,
        seat_id="seat",
        pseudonym="Sam",
        external_ref=None,
        severity="high",
        observed="Asked for support.",
        escalated_by="system",
        source_alert_id=None,
        now=utcnow(),
    )
    db.session.commit()
    return made


def test_an_on_call_step_to_a_failing_endpoint_counts_and_the_incident_goes_on(org, receiver, smtp):
    endpoint = add_endpoint(org.id, url=receiver.url, event_types=["session.started"])
    oncall_policy.replace_policy(
        org.id, [{"kind": "webhook", "endpoint_id": endpoint.id, "ack_seconds": 120}, EMAIL]
    )
    incident = raise_incident(org)
    assert oncall.page_due() == 1
    # Tried once more, then the next step.
    assert oncall.page_due(utcnow() + timedelta(seconds=5)) == 2
    assert [
        a["status"] for a in org.get(f"/api/v1/incidents/{incident.id}").json["notification"]["attempts"]
    ] == [
        "failed",
        "failed",
        "delivered",
    ]
    told = health(org, endpoint)
    assert (told["status"], told["consecutive_failures"], told["last_error"]) == (
        "failing",
        2,
        "connection_refused",
    )


def test_an_endpoint_whose_deliveries_were_given_up_still_gets_every_on_call_step(org, receiver):
    # It subscribes to nothing about incidents, and its one delivery failed for good.
    endpoint = add_endpoint(org.id, url=receiver.url, event_types=["session.started"])
    outbox.enqueue(org.id, "session.started", {"session_id": "s"})
    db.session.commit()
    worker.deliver_due()
    worker.deliver_due(utcnow() + timedelta(hours=25))
    [given_up] = org.get(f"/api/v1/webhooks/{endpoint.id}/deliveries").json["items"]
    assert given_up["status"] == "failed"
    back_by_an_hour(endpoint)
    oncall_policy.replace_policy(
        org.id, [{"kind": "webhook", "endpoint_id": endpoint.id, "ack_seconds": 120}]
    )
    assert oncall_policy.readiness(org.id, smtp_configured=False).ready
    receiver.start()
    incident = raise_incident(org)
    assert oncall.page_due() == 1
    [page] = [r for r in receiver.received if '"incident.escalated"' in r.body]
    assert str(incident.id) in page.body
    assert org.get(f"/api/v1/incidents/{incident.id}").json["notification"]["status"] == "delivered"
    assert health(org, endpoint)["status"] == "healthy"


def test_the_console_shows_facilitators_that_deliveries_are_failing(
    org, other_org, client, facilitator, receiver
):
    group = make_group(org.id, title="Monday circle")
    assign(group, facilitator)
    session = add_session(group, timedelta(minutes=5))
    endpoint = add_endpoint(org.id, url=receiver.url)
    oncall_policy.replace_policy(
        org.id, [{"kind": "webhook", "endpoint_id": endpoint.id, "ack_seconds": 120}]
    )
    add_endpoint(other_org.id, url="http://other.example.org/hooks")
    page = client.get(f"/facilitator/sessions/{session.id}").get_data(as_text=True)
    assert 'id="webhooks-failing"' not in page
    # Both organizations' endpoints are down; only its own organization's is shown.
    db.session.execute(
        db.update(type(endpoint)).values(
            failing_since=utcnow() - timedelta(hours=1), consecutive_failures=4, last_error="timeout"
        )
    )
    db.session.commit()
    page = client.get(f"/facilitator/sessions/{session.id}").get_data(as_text=True)
    assert 'id="webhooks-failing"' in page
    assert "127.0.0.1" in page and "4 attempts in a row" in page and "did not answer in time" in page
    assert "step of the on-call policy" in page
    assert "other.example.org" not in page and "/hooks/hearth" not in page


class ProcessDied(BaseException):
    """The process stopping in the middle of a send: nothing after it in the pass runs."""


def dies(to: str, subject: str, text: str) -> str | None:
    raise ProcessDied


def owed(endpoint) -> list[EndpointNotice]:
    db.session.rollback()
    return list(
        db.session.execute(
            db.select(EndpointNotice)
            .where(EndpointNotice.endpoint_id == endpoint.id)
            .order_by(EndpointNotice.noticed_at)
        ).scalars()
    )


def failing_with_an_email_step(org, receiver):
    """An endpoint that failed 3 times over 40 minutes, of an organization with one e-mail step."""
    endpoint = add_endpoint(org.id, url=receiver.url)
    oncall_policy.replace_policy(org.id, [EMAIL])
    fail_for(org, minutes=40, times=3)
    return endpoint


def test_a_down_notice_whose_process_died_while_sending_is_sent_once_by_the_next_pass(org, receiver, smtp):
    endpoint = failing_with_an_email_step(org, receiver)
    with pytest.raises(ProcessDied):
        health_notices.send_due(later(45), mail=dies)
    # Recorded with the change that noticed it, and claimed, before the send began.
    [notice] = owed(endpoint)
    assert (notice.kind, notice.status, notice.tries) == ("down", "pending", 1)
    assert smtp.mailbox.messages == [] and health(org, endpoint)["organization_told_at"] is None
    # Another process does not send it while the one that claimed it might still be sending...
    assert health_notices.send_due(later(46)) == 0
    # ...and once that claim ran out, it does, once.
    assert health_notices.send_due(later(51)) == 1
    [mail] = smtp.mailbox.messages
    assert "are failing" in mail["Subject"] and "3 attempts in a row failed" in mail.get_content()
    assert [n.status for n in owed(endpoint)] == ["sent"]
    assert health(org, endpoint)["organization_told_at"]
    assert health_notices.send_due(later(120)) == 0
    assert len(smtp.mailbox.messages) == 1


def test_a_notice_the_smtp_server_refused_is_tried_again_until_accepted_then_never_again(org, receiver, smtp):
    endpoint = failing_with_an_email_step(org, receiver)
    smtp.mailbox.refuse = True
    assert health_notices.send_due(later(45)) == 1
    [notice] = owed(endpoint)
    assert (notice.status, notice.try_error) == ("pending", "smtp_refused")
    assert health(org, endpoint)["organization_told_at"] is None
    # Not every second: on the retry schedule, the first retry about 5 seconds later.
    assert health_notices.send_due(later(45)) == 0
    assert health_notices.send_due(later(46)) == 1
    assert smtp.mailbox.messages == []
    smtp.mailbox.refuse = False
    assert health_notices.send_due(later(50)) == 1
    assert len(smtp.mailbox.messages) == 1 and health(org, endpoint)["organization_told_at"]
    assert health_notices.send_due(later(90)) == 0

    # Back: its own notice, recorded when noticed, sent once, even after a send that died.
    reached_again(org, receiver, later(100))
    with pytest.raises(ProcessDied):
        health_notices.send_due(later(101), mail=dies)
    assert [(n.kind, n.status) for n in owed(endpoint)] == [("down", "sent"), ("back", "pending")]
    assert health_notices.send_due(later(107)) == 1
    assert [m["Subject"] for m in smtp.mailbox.messages][-1].endswith("work again")
    assert health_notices.send_due(later(200)) == 0
    assert len(smtp.mailbox.messages) == 2


def test_an_endpoint_back_before_its_down_notice_could_be_sent_is_announced_neither_way(org, receiver, smtp):
    endpoint = failing_with_an_email_step(org, receiver)
    smtp.mailbox.refuse = True
    assert health_notices.send_due(later(45)) == 1
    reached_again(org, receiver, later(46))
    smtp.mailbox.refuse = False
    assert health_notices.send_due(later(60)) == 0
    assert [(n.kind, n.status) for n in owed(endpoint)] == [("down", "cancelled"), ("back", "cancelled")]
    assert smtp.mailbox.messages == [] and health(org, endpoint)["status"] == "healthy"
