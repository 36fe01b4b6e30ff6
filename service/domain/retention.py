"""Retention: each kind of kept record goes once it is older than its organization keeps it.

`purge` is run by `hearth purge` and by every process's hourly chores. Each organization is
purged in one transaction that first writes its row, so several processes purging at once
take turns and remove each row once; rows read first are also claimed (`FOR UPDATE SKIP
LOCKED`) against an erasure at the same time. Attendance and ratings
go by whole UTC months (a month goes once it ended longer ago than the retention), so the
check-in aggregates only ever lose whole months, as they only ever show whole months.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from service.domain import anonymous_ratings, outbox, people
from service.domain.check_ins import first_kept_month
from service.extensions import db
from service.models import (
    RETENTION_DEFAULTS,
    AnonymousRating,
    Attendance,
    AuditEntry,
    CircleSession,
    EndpointNotice,
    Erasure,
    EscalationAttempt,
    IdempotencyRecord,
    Incident,
    IncidentNote,
    Organization,
    Registration,
    SessionNote,
    SessionRemoval,
    SupportAlert,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
)

KINDS = tuple(RETENTION_DEFAULTS)
_BATCH = 500


def retention_days(organization: Organization, kind: str) -> int:
    """How many days the organization keeps records of this kind."""
    return getattr(organization, f"retain_{kind}_days")


class PurgeFailed(Exception):
    """Some organizations could not be purged this time; the others were."""


def purge(now: datetime) -> dict[str, int]:
    """Remove, in every organization, each record older than its retention; how many of each kind.

    One organization's failure does not stop the others: it is raised once they are all done.
    """
    removed = dict.fromkeys(KINDS, 0)
    failures: list[Exception] = []
    for organization_id in db.session.execute(db.select(Organization.id)).scalars().all():
        try:
            counts = purge_organization(organization_id, now)
        except Exception as error:
            db.session.rollback()
            failures.append(error)
            continue
        for kind, count in counts.items():
            removed[kind] += count
    if failures:
        raise PurgeFailed(f"{len(failures)} organization(s) could not be purged") from failures[0]
    return removed


def purge_organization(organization_id: uuid.UUID, now: datetime) -> dict[str, int]:
    """Remove what one organization keeps past its retention settings, committing once."""
    # Writing the organization's row first takes SQLite's write lock (or PostgreSQL's row lock)
    # until the commit, so a second purge of it waits, then finds nothing left to remove.
    db.session.execute(
        sa.update(Organization)
        .where(Organization.id == organization_id)
        .values(retain_attendance_days=Organization.retain_attendance_days)
    )
    organization = db.session.get_one(Organization, organization_id)
    removed = dict.fromkeys(KINDS, 0)
    for kind, purge_kind in _PURGES.items():
        cutoff = now - timedelta(days=retention_days(organization, kind))
        removed[kind] += purge_kind(organization, cutoff, now)
    db.session.commit()
    return removed


def _count(statement: sa.Executable) -> int:
    return db.session.execute(statement).rowcount or 0


def _delete_older(model: type, column: sa.Column, organization: Organization, cutoff: datetime) -> int:
    """Delete the organization's rows of `model` whose `column` is before `cutoff`; how many."""
    return _count(sa.delete(model).where(model.organization_id == organization.id, column < cutoff))


def _sessions_starting_before(organization: Organization, instant: datetime) -> sa.Select:
    return db.select(CircleSession.id).where(
        CircleSession.organization_id == organization.id, CircleSession.starts_at < instant
    )


def _attendance(organization: Organization, cutoff: datetime, now: datetime) -> int:
    # Whole months: the month that holds `cutoff` and those after it are kept.
    kept_from = first_kept_month(retention_days(organization, "attendance"), now).start()
    rows = list(
        db.session.execute(
            db.select(Attendance)
            .where(
                Attendance.organization_id == organization.id,
                Attendance.session_id.in_(_sessions_starting_before(organization, kept_from)),
            )
            .with_for_update(skip_locked=True, of=Attendance)
        ).scalars()
    )
    anonymous_ratings.set_aside(rows, organization, now)
    for row in rows:
        db.session.delete(row)
    db.session.flush()
    return len(rows)


def _check_ins(organization: Organization, cutoff: datetime, now: datetime) -> int:
    kept_from = first_kept_month(retention_days(organization, "check_ins"), now).start()
    rated = sa.or_(Attendance.check_in_rating.is_not(None), Attendance.check_out_rating.is_not(None))
    cleared = _count(
        sa.update(Attendance)
        .where(
            Attendance.organization_id == organization.id,
            Attendance.session_id.in_(_sessions_starting_before(organization, kept_from)),
            rated,
        )
        .values(check_in_rating=None, check_out_rating=None)
    )
    return cleared + _count(
        sa.delete(AnonymousRating).where(
            AnonymousRating.organization_id == organization.id, AnonymousRating.month < kept_from.date()
        )
    )


def _incidents(organization: Organization, cutoff: datetime, now: datetime) -> int:
    # An incident still open or acknowledged is kept: someone still has to follow it up.
    ids = list(
        db.session.execute(
            db.select(Incident.id).where(
                Incident.organization_id == organization.id,
                Incident.status == "resolved",
                Incident.resolved_at < cutoff,
            )
        ).scalars()
    )
    if not ids:
        return 0
    for incident_id in ids:
        # Its webhook events name the person: they go with it, whatever the delivery log keeps.
        events = db.select(WebhookEvent.id).where(
            WebhookEvent.organization_id == organization.id,
            WebhookEvent.event_type.like("incident.%"),
            WebhookEvent.body.contains(str(incident_id)),
        )
        outbox.delete_events(list(db.session.execute(events).scalars()))
    # The alerts it was made of go by their own retention: they forget it, and their chain is over.
    db.session.execute(
        sa.update(SupportAlert)
        .where(SupportAlert.incident_id.in_(ids))
        .values(incident_id=None, stage_started_at=None)
    )
    db.session.execute(sa.delete(IncidentNote).where(IncidentNote.incident_id.in_(ids)))
    db.session.execute(sa.delete(EscalationAttempt).where(EscalationAttempt.incident_id.in_(ids)))
    return _count(sa.delete(Incident).where(Incident.id.in_(ids)))


def _support_alerts(organization: Organization, cutoff: datetime, now: datetime) -> int:
    old = db.select(SupportAlert.id).where(
        SupportAlert.organization_id == organization.id, SupportAlert.created_at < cutoff
    )
    db.session.execute(
        sa.update(Incident).where(Incident.source_alert_id.in_(old)).values(source_alert_id=None)
    )
    return _delete_older(SupportAlert, SupportAlert.created_at, organization, cutoff)


def _session_notes(organization: Organization, cutoff: datetime, now: datetime) -> int:
    return _delete_older(SessionNote, SessionNote.created_at, organization, cutoff)


def _audit_entries(organization: Organization, cutoff: datetime, now: datetime) -> int:
    erasures = _delete_older(Erasure, Erasure.erased_at, organization, cutoff)
    return erasures + _delete_older(AuditEntry, AuditEntry.created_at, organization, cutoff)


def _webhook_deliveries(organization: Organization, cutoff: datetime, now: datetime) -> int:
    # A delivery still pending is on its way, however old its event: it stays until it ends.
    old = db.select(WebhookDelivery.id).where(
        WebhookDelivery.organization_id == organization.id,
        WebhookDelivery.status != "pending",
        WebhookDelivery.created_at < cutoff,
    )
    db.session.execute(sa.delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(old)))
    removed = _count(sa.delete(WebhookDelivery).where(WebhookDelivery.id.in_(old)))
    # So do the e-mails about an endpoint down or back, once sent or given up on.
    db.session.execute(
        sa.delete(EndpointNotice).where(
            EndpointNotice.organization_id == organization.id,
            EndpointNotice.status != "pending",
            EndpointNotice.noticed_at < cutoff,
        )
    )
    delivered_to_nobody = ~sa.exists().where(WebhookDelivery.event_id == WebhookEvent.id)
    db.session.execute(
        sa.delete(WebhookEvent).where(
            WebhookEvent.organization_id == organization.id,
            WebhookEvent.created_at < cutoff,
            delivered_to_nobody,
        )
    )
    return removed


def _on_call_attempts(organization: Organization, cutoff: datetime, now: datetime) -> int:
    # An open incident's attempts are the truth of its escalation: kept while it is open.
    resolved = db.select(Incident.id).where(
        Incident.organization_id == organization.id, Incident.status == "resolved"
    )
    return _count(
        sa.delete(EscalationAttempt).where(
            EscalationAttempt.organization_id == organization.id,
            EscalationAttempt.attempted_at < cutoff,
            EscalationAttempt.incident_id.in_(resolved),
        )
    )


def _registrations(organization: Organization, cutoff: datetime, now: datetime) -> int:
    over = db.select(CircleSession.id).where(
        CircleSession.organization_id == organization.id,
        CircleSession.status.in_(("ended", "cancelled")),
        CircleSession.ends_at < cutoff,
    )
    done = sa.or_(
        sa.and_(Registration.status == "removed", Registration.removed_at < cutoff),
        Registration.session_id.in_(over),
    )
    gone = list(
        db.session.execute(
            db.select(Registration)
            .where(Registration.organization_id == organization.id, done)
            .with_for_update(skip_locked=True)
        ).scalars()
    )
    # In batches, so that no statement names more ids than a database takes at once.
    for start in range(0, len(gone), _BATCH):
        people.forget(gone[start : start + _BATCH], organization, now)
    # Who was removed from a session matters only until it is over.
    db.session.execute(sa.delete(SessionRemoval).where(SessionRemoval.session_id.in_(over)))
    return len(gone)


def _idempotency_keys(organization: Organization, cutoff: datetime, now: datetime) -> int:
    return _delete_older(IdempotencyRecord, IdempotencyRecord.created_at, organization, cutoff)


_PURGES: dict[str, Callable[[Organization, datetime, datetime], int]] = {
    "attendance": _attendance,
    "check_ins": _check_ins,
    "incidents": _incidents,
    "support_alerts": _support_alerts,
    "session_notes": _session_notes,
    "audit_entries": _audit_entries,
    "webhook_deliveries": _webhook_deliveries,
    "on_call_attempts": _on_call_attempts,
    "registrations": _registrations,
    "idempotency_keys": _idempotency_keys,
}
