"""A person's data: everything kept about them, exported, and erased or forgotten.

A person is one registration, or every registration of the organization with one `external_ref`.
Erasing deletes their registrations (with the join link hashes), attendance, removals and
support alerts; their incidents stay for the organization's record but lose every link to them.
Their check-in ratings leave their attendance; those that past aggregates counted are set aside
anonymously (see anonymous_ratings) so that no before-and-after comparison shows them.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import sqlalchemy as sa

from service.domain import anonymous_ratings, audit, outbox, registrations
from service.domain.errors import Conflict
from service.extensions import db
from service.models import (
    Attendance,
    Erasure,
    Group,
    Incident,
    Organization,
    Registration,
    SessionRemoval,
    SupportAlert,
    WebhookEvent,
)

# What an erased person's incidents call them from then on.
ERASED_PSEUDONYM = "(erased)"
SCOPES = ("registration", "external_ref")
T = TypeVar("T", Attendance, SupportAlert)


@dataclass(frozen=True)
class PersonData:
    """Everything Hearth keeps about one person in one organization."""

    exported_at: datetime
    external_ref: str | None
    registrations: list[Registration]
    attendance: list[Attendance]
    support_alerts: list[SupportAlert]
    incidents: list[Incident]


def registrations_with_ref(organization_id: uuid.UUID, external_ref: str) -> list[Registration]:
    """The organization's registrations carrying this reference, oldest first."""
    return list(
        db.session.execute(
            db.select(Registration)
            .where(Registration.organization_id == organization_id, Registration.external_ref == external_ref)
            .order_by(Registration.created_at, Registration.id)
        ).scalars()
    )


def _incidents(
    organization_id: uuid.UUID, registration_ids: list[uuid.UUID], external_ref: str | None
) -> list[Incident]:
    """Incidents about the person: by registration, and by reference once the registration is gone."""
    about = Incident.registration_id.in_(registration_ids)
    if external_ref is not None:
        about = sa.or_(about, Incident.external_ref == external_ref)
    return list(
        db.session.execute(
            db.select(Incident)
            .where(Incident.organization_id == organization_id, about)
            .order_by(Incident.created_at, Incident.id)
        ).scalars()
    )


def _of_registrations(
    model: type[T], ids: list[uuid.UUID], oldest_first: sa.Column, *, claim: bool = False
) -> list[T]:
    """The rows of `model` that belong to these registrations, oldest first; `claim` locks them."""
    select = db.select(model).where(model.registration_id.in_(ids)).order_by(oldest_first, model.id)
    if claim:
        # Rows another process's purge removed meanwhile are skipped once its lock goes.
        select = select.with_for_update(of=model)
    return list(db.session.execute(select).scalars())


def _attendance(ids: list[uuid.UUID], *, claim: bool = False) -> list[Attendance]:
    return _of_registrations(Attendance, ids, Attendance.joined_at, claim=claim)


def _alerts(ids: list[uuid.UUID], *, claim: bool = False) -> list[SupportAlert]:
    return _of_registrations(SupportAlert, ids, SupportAlert.created_at, claim=claim)


def export(
    organization_id: uuid.UUID, people: Sequence[Registration], external_ref: str | None, now: datetime
) -> PersonData:
    """What is kept about these registrations of the organization (and, by reference, its incidents)."""
    ids = [registration.id for registration in people]
    return PersonData(
        exported_at=now,
        external_ref=external_ref,
        registrations=list(people),
        attendance=_attendance(ids),
        support_alerts=_alerts(ids),
        incidents=_incidents(organization_id, ids, external_ref),
    )


def forget(people: Sequence[Registration], organization: Organization, now: datetime) -> Counter[str]:
    """Delete these registrations and what hangs on them; incidents and alerts only lose them (no commit)."""
    ids = [registration.id for registration in people]
    counts: Counter[str] = Counter()
    if not ids:
        return counts
    rows = _attendance(ids, claim=True)
    counts["ratings_set_aside"] = anonymous_ratings.set_aside(rows, organization, now)
    # Statements rather than the session's deletes: a row already gone is no error.
    counts["attendance"] = _deleted(sa.delete(Attendance).where(Attendance.id.in_([row.id for row in rows])))
    counts["session_removals"] = _deleted(
        sa.delete(SessionRemoval).where(SessionRemoval.registration_id.in_(ids))
    )
    # Done here, not left to ON DELETE, which SQLite does not enforce.
    counts["incidents_unlinked"] = _deleted(
        sa.update(Incident).where(Incident.registration_id.in_(ids)).values(registration_id=None)
    )
    db.session.execute(
        sa.update(SupportAlert).where(SupportAlert.registration_id.in_(ids)).values(registration_id=None)
    )
    counts["registrations"] = _deleted(sa.delete(Registration).where(Registration.id.in_(ids)))
    return counts


def refuse_while_help_is_pending(people: Sequence[Registration]) -> None:
    """Refuse to erase a person whose call for support nobody has taken or escalated yet.

    Erasing deletes their alerts, and an alert still waiting would then never reach anyone.
    """
    waiting = db.session.execute(
        sa.select(SupportAlert.id)
        .where(SupportAlert.registration_id.in_([registration.id for registration in people]))
        .where(SupportAlert.owed_a_step())
        .limit(1)
    ).first()
    if waiting is not None:
        raise Conflict(
            "This person asked for support and it has not been taken or escalated yet. "
            "Erase them once it has been followed up."
        )


def erase(
    organization_id: uuid.UUID,
    people: Sequence[Registration],
    external_ref: str | None,
    actor: audit.Actor,
    now: datetime,
) -> Erasure:
    """Erase a person: their registrations and attendance go, their alerts and incidents forget them.

    Freed seats go to the waitlist. Recorded as an erasure that says how much, never whose.
    """
    organization = db.session.get_one(Organization, organization_id)
    ids = [registration.id for registration in people]
    groups = sorted({registration.group_id for registration in people})
    with ExitStack() as locks:
        # The seat locks first, in one order, as every seat change takes them.
        for group_id in groups:
            locks.enter_context(registrations.seat_change(db.session.get_one(Group, group_id)))
        # Then the registrations, so a purge at the same time skips them rather than waits on us.
        db.session.execute(db.select(Registration.id).where(Registration.id.in_(ids)).with_for_update())
        incidents = _incidents(organization_id, ids, external_ref)
        alerts = _alerts(ids, claim=True)
        events = _forget_in_events(organization_id, ids, incidents)
        _delete_alerts(alerts)
        counts = forget(people, organization, now)
        for incident in incidents:
            incident.external_ref = None
            incident.pseudonym = ERASED_PSEUDONYM
        counts["webhook_events"] = events
        counts["support_alerts"] = len(alerts)
        counts["incidents_unlinked"] = len(incidents)
        for group_id in groups:
            registrations.promote_waitlisted(db.session.get_one(Group, group_id))
        erasure = Erasure(
            organization_id=organization_id,
            api_key_id=actor.api_key_id,
            scope="external_ref" if external_ref is not None else "registration",
            counts={kind: counts[kind] for kind in ERASURE_COUNTS},
            erased_at=now,
        )
        db.session.add(erasure)
        db.session.commit()
    return erasure


# The counts every erasure reports, in this order.
ERASURE_COUNTS = (
    "registrations",
    "attendance",
    "ratings_set_aside",
    "session_removals",
    "support_alerts",
    "incidents_unlinked",
    "webhook_events",
)


def _deleted(statement: sa.Executable) -> int:
    return db.session.execute(statement).rowcount or 0


def _delete_alerts(alerts: list[SupportAlert]) -> None:
    ids = [alert.id for alert in alerts]
    if not ids:
        return
    db.session.execute(
        sa.update(Incident).where(Incident.source_alert_id.in_(ids)).values(source_alert_id=None)
    )
    db.session.execute(sa.delete(SupportAlert).where(SupportAlert.id.in_(ids)))


def _forget_in_events(
    organization_id: uuid.UUID, registration_ids: list[uuid.UUID], incidents: list[Incident]
) -> int:
    """Webhook events naming the person: registration events go, incident events lose the person."""
    changed = 0
    for registration_id in registration_ids:
        events = _events(organization_id, "registration.%", registration_id)
        outbox.delete_events([event.id for event in events])
        changed += len(events)
    for incident in incidents:
        for event in _events(organization_id, "incident.%", incident.id):
            body = json.loads(event.body)
            body["data"].update(pseudonym=ERASED_PSEUDONYM, external_ref=None)
            event.body = json.dumps(body, separators=(",", ":"))
            changed += 1
    return changed


def _events(organization_id: uuid.UUID, types: str, object_id: uuid.UUID) -> list[WebhookEvent]:
    return list(
        db.session.execute(
            db.select(WebhookEvent).where(
                WebhookEvent.organization_id == organization_id,
                WebhookEvent.event_type.like(types),
                WebhookEvent.body.contains(str(object_id)),
            )
        ).scalars()
    )
