"""Incidents: recorded concerns for a person's safety, and their follow-up by the organization.

Every change enqueues a webhook event in the same transaction, so the organization hears of
exactly the changes that were committed. The events carry what the on-call contact needs to
act (ids, severity, status, times, the person's pseudonym and the organization's own
`external_ref`) and never chat text or what was observed: that is read through the API.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from service import wakeup
from service.domain import oncall_policy, outbox
from service.domain.errors import Conflict
from service.domain.lookup import get_owned
from service.extensions import db
from service.i18n import N_
from service.models import Incident, IncidentNote, SupportAlert

# Someone follows the person up by then, unless the incident is resolved first.
FOLLOW_UP_AFTER = timedelta(days=1)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def event_data(incident: Incident) -> dict[str, Any]:
    """The webhook payload of `incident.created` and `incident.updated`."""
    return {
        "incident_id": str(incident.id),
        "session_id": str(incident.session_id) if incident.session_id else None,
        "seat_id": incident.seat_id,
        "pseudonym": incident.pseudonym,
        "external_ref": incident.external_ref,
        "severity": incident.severity,
        "status": incident.status,
        "escalated_by": incident.escalated_by,
        "source_alert_id": str(incident.source_alert_id) if incident.source_alert_id else None,
        "created_at": _iso(incident.created_at),
        "acknowledged_at": _iso(incident.acknowledged_at),
        "resolved_at": _iso(incident.resolved_at),
        "updated_at": _iso(incident.updated_at),
    }


def record_incident(
    *,
    organization_id: uuid.UUID,
    session_id: uuid.UUID,
    registration_id: uuid.UUID | None,
    seat_id: str,
    pseudonym: str,
    external_ref: str | None,
    severity: str,
    observed: str,
    escalated_by: str,
    source_alert_id: uuid.UUID | None,
    now: datetime,
) -> Incident:
    """Add an open incident and enqueue `incident.created` (no commit: the caller commits)."""
    incident = Incident(
        organization_id=organization_id,
        session_id=session_id,
        registration_id=registration_id,
        seat_id=seat_id,
        pseudonym=pseudonym,
        external_ref=external_ref,
        severity=severity,
        observed=observed,
        escalated_by=escalated_by,
        source_alert_id=source_alert_id,
        status="open",
        created_at=now,
        updated_at=now,
        follow_up_due_at=now + FOLLOW_UP_AFTER,
    )
    # The policy's first step is due at once; with no step, nobody will be reached, and it says so.
    if oncall_policy.has_route(organization_id):
        incident.notification_status, incident.next_step_position, incident.next_step_at = "queued", 1, now
        # Tried by this process's on-call loop right after the commit, not at its next look.
        wakeup.after_commit(db.session, wakeup.ON_CALL)
    else:
        incident.notification_status = "no_route"
    db.session.add(incident)
    db.session.flush()
    outbox.enqueue(organization_id, "incident.created", event_data(incident))
    return incident


def get_incident(organization_id: uuid.UUID, incident_id: uuid.UUID) -> Incident:
    """The organization's incident, or NotFound."""
    return get_owned(Incident, organization_id, incident_id, "incident")


def incidents_of(
    organization_id: uuid.UUID,
    *,
    status: str | None = None,
    severity: str | None = None,
    session_id: uuid.UUID | None = None,
    since: datetime | None = None,
    follow_up_overdue_at: datetime | None = None,
) -> sa.Select:
    """The organization's incidents, filtered; ordering and paging are the caller's.

    With `follow_up_overdue_at`, only unresolved incidents whose follow-up was due by then.
    """
    select = db.select(Incident).where(Incident.organization_id == organization_id)
    if status is not None:
        select = select.where(Incident.status == status)
    if severity is not None:
        select = select.where(Incident.severity == severity)
    if session_id is not None:
        select = select.where(Incident.session_id == session_id)
    if since is not None:
        select = select.where(Incident.created_at >= since)
    if follow_up_overdue_at is not None:
        select = select.where(
            Incident.status != "resolved", Incident.follow_up_due_at <= follow_up_overdue_at
        )
    return select


def _updated(incident: Incident, now: datetime) -> Incident:
    incident.updated_at = now
    db.session.flush()
    outbox.enqueue(incident.organization_id, "incident.updated", event_data(incident))
    db.session.commit()
    return incident


def acknowledge(
    organization_id: uuid.UUID, incident_id: uuid.UUID, api_key_id: uuid.UUID | None, now: datetime
) -> Incident:
    """The organization has seen an open incident and is acting on it."""
    return mark_acknowledged(get_incident(organization_id, incident_id), now, api_key_id=api_key_id)


# Why an incident cannot be acknowledged again, by its status (pages translate these).
ALREADY = {
    "acknowledged": N_("This incident is already acknowledged."),
    "resolved": N_("This incident is already resolved."),
}


def mark_acknowledged(
    incident: Incident,
    now: datetime,
    *,
    api_key_id: uuid.UUID | None = None,
    attempt_id: uuid.UUID | None = None,
) -> Incident:
    """Acknowledge an open incident (by an API key, or an e-mail's link): the policy stops, and commit."""
    if incident.status != "open":
        raise Conflict(ALREADY[incident.status])
    incident.status, incident.acknowledged_at, incident.acknowledged_by = "acknowledged", now, api_key_id
    incident.acknowledged_attempt_id = attempt_id
    incident.notification_status = "acknowledged"
    _stop_steps(incident)
    return _updated(incident, now)


def _stop_steps(incident: Incident) -> None:
    incident.next_step_position = incident.next_step_at = incident.step_claim = None


def resolve(organization_id: uuid.UUID, incident_id: uuid.UUID, now: datetime) -> Incident:
    """Close an incident; notes can still be added afterwards."""
    incident = get_incident(organization_id, incident_id)
    if incident.status == "resolved":
        raise Conflict(ALREADY["resolved"])
    incident.status, incident.resolved_at = "resolved", now
    _stop_steps(incident)
    return _updated(incident, now)


def add_note(
    organization_id: uuid.UUID, incident_id: uuid.UUID, text: str, api_key_id: uuid.UUID | None, now: datetime
) -> IncidentNote:
    """Add a follow-up note written by the organization."""
    incident = get_incident(organization_id, incident_id)
    note = IncidentNote(text=text, author="organization", api_key_id=api_key_id, created_at=now)
    incident.notes.append(note)
    _updated(incident, now)
    return note


def forget_alert_texts(session_id: uuid.UUID) -> None:
    """Drop the chat messages kept with a session's risk alerts: the session is over (no commit)."""
    db.session.execute(
        db.update(SupportAlert)
        .where(SupportAlert.session_id == session_id, SupportAlert.text.is_not(None))
        .values(text=None)
    )
