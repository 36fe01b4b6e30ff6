"""Paging the on-call policy: try each due step, remind of follow-ups due, tell of rooms nobody opened.

Steps are claimed from the database (service/domain/escalation.py), so any process's pass may
try them, once each; nothing is held in memory between passes.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from flask import current_app

from service.delivery import mail
from service.delivery.signing import SECRET_UNREADABLE, signed_headers_for
from service.delivery.worker import LEASE_MARGIN, PASS_LIMIT, Send, default_send
from service.domain import endpoint_health, escalation, oncall_policy, unattended
from service.domain.incidents import event_data
from service.domain.outbox import new_event_id
from service.domain.recurrence import zone
from service.extensions import db
from service.models import CircleSession, Incident, WebhookEndpoint, utcnow

log = logging.getLogger("hearth.oncall")

Mail = Callable[[str, str, str], "str | None"]
# What one try came to: delivered or not, the kind of failure, an HTTP status when there was one.
Result = tuple[bool, str | None, int | None]


@dataclass(frozen=True)
class Routes:
    """How this process reaches a route: POST a signed webhook, send an e-mail; and its public origin."""

    webhook: Send
    mail: Mail
    base_url: str


def default_routes() -> Routes:
    """The app's webhook sender, its SMTP server and its base URL."""
    return Routes(
        webhook=default_send(),
        mail=partial(mail.send, mail.SmtpSettings.from_config(current_app.config)),
        base_url=current_app.config["HEARTH_BASE_URL"],
    )


def _post(routes: Routes, endpoint_id, event_type: str, data: dict) -> Result:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id) if endpoint_id else None
    if endpoint is None or not endpoint.enabled:
        db.session.commit()
        return False, "endpoint_disabled", None
    url, message_id = endpoint.url, new_event_id()
    body = json.dumps(
        {"type": event_type, "timestamp": utcnow().isoformat(), "data": data}, separators=(",", ":")
    )
    headers = signed_headers_for(endpoint, message_id, int(time.time()), body)
    # No transaction stays open while the receiver takes its time.
    db.session.commit()
    if headers is None:
        endpoint_health.record(endpoint_id, False, SECRET_UNREADABLE, None, utcnow())
        return False, SECRET_UNREADABLE, None
    outcome = routes.webhook(url, headers, body)
    # Counted in the endpoint's health with its deliveries; committed with the attempt.
    endpoint_health.record(endpoint_id, outcome.ok, outcome.error, outcome.status_code, utcnow())
    return outcome.ok, outcome.error, outcome.status_code


def _mail(routes: Routes, to: str, subject: str, text: str) -> Result:
    db.session.commit()
    error = routes.mail(to, subject, text)
    return error is None, error, None


def _about(incident: Incident) -> str:
    who = incident.pseudonym + (
        f" (your reference: {incident.external_ref})" if incident.external_ref else ""
    )
    return (
        f"Person: {who}\n"
        f"Severity: {incident.severity}\n"
        f"Raised: {incident.created_at.isoformat(timespec='seconds')}\n"
        f"Incident: {incident.id}\n"
    )


def page_text(incident: Incident, ack_url: str) -> tuple[str, str]:
    """The subject and body of the e-mail that pages someone about an incident."""
    return (
        f"Hearth: a {incident.severity} concern for someone's safety needs you now",
        "A concern for someone's safety was raised in a Hearth circle, and you are on call.\n\n"
        + _about(incident)
        + "\nWhat was observed, and the notes, are in the incidents API (GET /api/v1/incidents/"
        f"{incident.id}).\n\nTo say you are acting on it, open this link and confirm (it works once):\n"
        f"{ack_url}\n\nUntil someone acknowledges, Hearth goes on to the next step of your on-call policy.\n",
    )


def reminder_text(incident: Incident) -> tuple[str, str]:
    """The subject and body of the e-mail reminding that an incident's follow-up is due."""
    return (
        "Hearth: a follow-up is due",
        "The follow-up of an incident raised in a Hearth circle is due, and the incident is not resolved.\n\n"
        + _about(incident)
        + f"Follow-up due: {incident.follow_up_due_at.isoformat(timespec='seconds')}\n\n"
        "Please check in with the person as your protocol says, then resolve the incident "
        f"(POST /api/v1/incidents/{incident.id}/resolve).\n",
    )


def unattended_text(session: CircleSession) -> tuple[str, str]:
    """The subject and body of the e-mail saying nobody has opened a session's room: no participant in it."""
    group = session.group
    local = session.starts_at.astimezone(zone(group.timezone))
    facilitators = ", ".join(
        f"{link.facilitator.name} ({link.role})"
        for link in group.facilitator_links
        if link.facilitator.active
    )
    return (
        f"Hearth: nobody has opened the room of {group.title}",
        f"The session of {group.title} began at {local.strftime('%H:%M')} on {local.strftime('%A %d %B %Y')} "
        f"({group.timezone} time), and no facilitator has opened its room.\n\n"
        f"Facilitators assigned: {facilitators or 'none'}\n"
        f"Session: {session.id}\n\n"
        "People who came are told, kindly, that the facilitator has not arrived and that you know. "
        "If a facilitator opens the room now, they are let in as usual; if the session will not "
        f"happen, cancel it (POST /api/v1/sessions/{session.id}/cancel) so they are told.\n",
    )


def mail_unattended(
    now: datetime | None = None, *, routes: Routes | None = None, limit: int = PASS_LIMIT
) -> int:
    """E-mail every on-call address about each session nobody opened, once each; how many sessions."""
    routes = routes or default_routes()
    lease = timedelta(seconds=current_app.config["HEARTH_WEBHOOK_TIMEOUT_SECONDS"]) + LEASE_MARGIN
    told = 0
    while told < limit:
        claimed = unattended.claim_mail(now or utcnow(), lease)
        if claimed is None:
            break
        session, addresses = claimed
        subject, text = unattended_text(session)
        for address in addresses:
            error = routes.mail(address, subject, text)
            # Ids and outcomes only: never an address.
            log.info("unattended session %s e-mail: %s", session.id, error or "delivered")
        unattended.mail_done(session.id)
        told += 1
    return told


def _try_step(routes: Routes, claim: escalation.StepClaim) -> Result:
    incident = db.session.get(Incident, claim.incident_id)
    if claim.kind == "webhook":
        data = {**event_data(incident), "step": incident.next_step_position}
        return _post(routes, claim.endpoint_id, "incident.escalated", data)
    subject, text = page_text(incident, f"{routes.base_url}/on-call/acknowledge/{claim.ack_token}")
    return _mail(routes, claim.email, subject, text)


def page_due(now: datetime | None = None, *, routes: Routes | None = None, limit: int = PASS_LIMIT) -> int:
    """Try every step due at `now` (the current time when not given); how many were tried."""
    routes = routes or default_routes()
    lease = timedelta(seconds=current_app.config["HEARTH_WEBHOOK_TIMEOUT_SECONDS"]) + LEASE_MARGIN
    tried = 0
    while tried < limit:
        at = now or utcnow()
        claim = escalation.claim_next_step(at, lease)
        if claim is None:
            break
        ok, error, status_code = _try_step(routes, claim)
        escalation.record_step(claim, ok, error, status_code, now or utcnow())
        # Ids and outcomes only: never an address, a name or a token.
        log.info(
            "on-call attempt %s of incident %s: %s", claim.attempt_id, claim.incident_id, error or "delivered"
        )
        tried += 1
    return tried


def remind_due(now: datetime | None = None, *, routes: Routes | None = None, limit: int = PASS_LIMIT) -> int:
    """Send the follow-up reminder of every unresolved incident now due, through every route; how many."""
    routes = routes or default_routes()
    reminded = 0
    while reminded < limit:
        at = now or utcnow()
        incident = escalation.claim_follow_up(at)
        if incident is None:
            break
        for step in oncall_policy.steps_of(incident.organization_id):
            attempt_id = escalation.start_reminder(incident, step, at)
            if step.kind == "webhook":
                result = _post(routes, step.endpoint_id, "incident.follow_up_due", event_data(incident))
            else:
                result = _mail(routes, step.email, *reminder_text(incident))
            escalation.finish_attempt(attempt_id, *result, now or utcnow())
            db.session.commit()
        reminded += 1
    return reminded


def run_pass() -> None:
    """One look at the policy: the steps that are due, the follow-ups, then the rooms nobody opened."""
    page_due()
    remind_due()
    mail_unattended()
