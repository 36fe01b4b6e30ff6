"""Telling an organization, through its on-call policy's e-mail steps, that an endpoint is down or back."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app

from service.delivery import schedule
from service.delivery.oncall import Mail, default_routes
from service.domain import endpoint_health, oncall_policy
from service.domain.endpoint_health import ERROR_WORDS, Notice
from service.extensions import db
from service.models import utcnow

log = logging.getLogger("hearth.webhooks")


def _why(notice: Notice) -> str:
    words = ERROR_WORDS.get(notice.last_error or "", "it could not be reached")
    return f"{words} (HTTP {notice.last_status_code})" if notice.last_status_code else words


def notice_text(notice: Notice) -> tuple[str, str]:
    """The subject and body of the e-mail telling the organization an endpoint is down, or back."""
    if notice.kind == "back":
        return (
            f"Hearth: webhook deliveries to {notice.name} work again",
            f"Hearth reached your webhook endpoint {notice.name} again (endpoint {notice.endpoint_id}).\n\n"
            "Deliveries that were still being retried go out on their schedule; those marked failed can be "
            f"sent again with POST /api/v1/webhooks/{notice.endpoint_id}/deliveries/<id>/redeliver.\n",
        )
    since = notice.failing_since.isoformat(timespec="seconds") if notice.failing_since else "?"
    return (
        f"Hearth: webhook deliveries to {notice.name} are failing",
        f"Hearth has not been able to reach your webhook endpoint {notice.name} (endpoint "
        f"{notice.endpoint_id}) since {since}: {notice.failures} attempts in a row failed; the last "
        f"because {_why(notice)}.\n\n"
        "Deliveries are retried for at least 24 hours, then marked failed. If this endpoint is a step "
        "of your on-call policy, that step fails and the next step is tried at once.\n\n"
        f"The delivery log is at GET /api/v1/webhooks/{notice.endpoint_id}/deliveries. You will get one "
        "more e-mail when the endpoint is reached again.\n",
    )


def _addresses(notice: Notice) -> list[str]:
    steps = oncall_policy.steps_of(notice.organization_id)
    return list(dict.fromkeys(step.email for step in steps if step.kind == "email"))


def send_due(now: datetime | None = None, *, mail: Mail | None = None) -> int:
    """Record the notices owed at `now`, then try each one due; how many were tried.

    A notice a try could not send is tried again on the webhook retry schedule for a day; one
    whose try never said how it went (the process died) is tried again after its lease.
    """
    at = now or utcnow()
    send = mail or default_routes().mail
    endpoint_health.notice_changes(at, endpoint_health.down_after_of(current_app.config))
    notices = endpoint_health.claim_due(at)
    for notice in notices:
        addresses = _addresses(notice)
        # No transaction stays open while the SMTP server takes its time.
        db.session.commit()
        subject, text = notice_text(notice)
        results = [send(address, subject, text) for address in addresses]
        failures = [result for result in results if result is not None]
        tried_at = now or utcnow()
        retry_at = schedule.next_attempt(notice.noticed_at, tried_at, notice.tries - 1)
        status = endpoint_health.record_try(notice, failures, results.count(None), retry_at, tried_at)
        # Ids and outcomes only: never an address or a URL.
        log.info(
            "webhook endpoint %s %s notice: %s of %s e-mails accepted, %s",
            notice.endpoint_id,
            notice.kind,
            results.count(None),
            len(results),
            status,
        )
    return len(notices)
