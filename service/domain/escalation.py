"""Following the on-call policy for an incident: claim the step that is due, record what came of it.

All the state is in the incident's row and its attempts, so a restart loses nothing; a step is
claimed with a conditional update (and SKIP LOCKED on PostgreSQL) before it is tried, so each
step is tried by one process, and a claim whose process died runs out after its lease.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from service.domain import crisis
from service.domain.errors import NotFound
from service.domain.incidents import mark_acknowledged
from service.domain.tokens import new_token, token_hash
from service.extensions import db
from service.i18n import DEFAULT_LANGUAGE, N_, translate
from service.models import CircleSession, EscalationAttempt, Incident, OnCallStep, Registration

# Where nobody is on the way, the facilitator must act themselves.
UNREACHED = ("no_route", "unreached", "unacknowledged")
# A step that failed is tried once more this soon (a receiver restarting, a dropped connection)
# before the next step; far within any step's time to acknowledge (60 seconds at least).
RETRY_AFTER = timedelta(seconds=5)
# Failures that trying again cannot mend: the next step is tried at once.
LASTING_ERRORS = frozenset(
    {"endpoint_disabled", "smtp_not_configured", "address_not_allowed", "smtp_auth_failed"}
)


@dataclass(frozen=True)
class StepClaim:
    """A step this process is to try now; `ack_token` is the e-mail's one-time link secret, never stored."""

    incident_id: uuid.UUID
    attempt_id: uuid.UUID
    claim: str
    kind: str
    endpoint_id: uuid.UUID | None
    email: str | None
    ack_token: str | None


def _next_step(incident: Incident) -> OnCallStep | None:
    return (
        db.session.execute(
            db.select(OnCallStep)
            .where(
                OnCallStep.organization_id == incident.organization_id,
                OnCallStep.position >= incident.next_step_position,
            )
            .order_by(OnCallStep.position)
        )
        .scalars()
        .first()
    )


def _tried_any_delivered(incident_id: uuid.UUID) -> bool:
    return (
        db.session.execute(
            db.select(EscalationAttempt.id).where(
                EscalationAttempt.incident_id == incident_id,
                EscalationAttempt.purpose == "page",
                EscalationAttempt.status == "delivered",
            )
        ).first()
        is not None
    )


def _add_attempt(incident: Incident, step: OnCallStep, purpose: str, now: datetime) -> EscalationAttempt:
    """An attempt through `step` as it is now (the policy may change afterwards), being sent."""
    attempt = EscalationAttempt(
        organization_id=incident.organization_id,
        incident_id=incident.id,
        purpose=purpose,
        position=step.position,
        kind=step.kind,
        endpoint_id=step.endpoint_id,
        email=step.email,
        status="sending",
        attempted_at=now,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def claim_next_step(now: datetime, lease: timedelta) -> StepClaim | None:
    """Take the most overdue step of an open incident for this process, record its attempt, and commit.

    An incident whose policy has no step left ends as `unreached` (nothing was delivered) or
    `unacknowledged` (something was, and nobody acknowledged in time).
    """
    due = db.session.execute(
        db.select(Incident.id)
        .where(Incident.status == "open", Incident.next_step_at <= now)
        .order_by(Incident.next_step_at)
        .limit(5)
        .with_for_update(skip_locked=True)
    ).scalars()
    for incident_id in list(due):
        token = secrets.token_hex(16)
        claimed = db.session.execute(
            sa.update(Incident)
            .where(Incident.id == incident_id, Incident.status == "open", Incident.next_step_at <= now)
            .values(next_step_at=now + lease, step_claim=token)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            continue
        incident = db.session.get(Incident, incident_id, populate_existing=True)
        step = _next_step(incident)
        if step is None:
            incident.notification_status = (
                "unacknowledged" if _tried_any_delivered(incident_id) else "unreached"
            )
            incident.next_step_position = incident.next_step_at = incident.step_claim = None
            db.session.commit()
            continue
        ack_token = new_token() if step.kind == "email" else None
        attempt = _add_attempt(incident, step, "page", now)
        attempt.ack_token_hash = token_hash(ack_token) if ack_token else None
        incident.next_step_position = step.position
        db.session.commit()
        return StepClaim(incident_id, attempt.id, token, step.kind, step.endpoint_id, step.email, ack_token)
    db.session.commit()
    return None


def finish_attempt(
    attempt_id: uuid.UUID, ok: bool, error: str | None, status_code: int | None, now: datetime
) -> None:
    """Record how one attempt went (no commit)."""
    attempt = db.session.get(EscalationAttempt, attempt_id, populate_existing=True)
    attempt.status, attempt.error, attempt.status_code, attempt.finished_at = (
        "delivered" if ok else "failed",
        error,
        status_code,
        now,
    )
    if not ok:
        # A link in an e-mail that never arrived must not stay usable.
        attempt.ack_token_hash = None


def record_step(
    claim: StepClaim, ok: bool, error: str | None, status_code: int | None, now: datetime
) -> None:
    """Record a claimed step's outcome: wait its time to acknowledge, or retry a failure once, then go on."""
    finish_attempt(claim.attempt_id, ok, error, status_code, now)
    incident = db.session.get(Incident, claim.incident_id, populate_existing=True, with_for_update=True)
    # Acknowledged or resolved meanwhile (or the claim ran out and another process took over).
    if incident.status == "open" and incident.step_claim == claim.claim:
        step_position = incident.next_step_position
        step = db.session.execute(
            db.select(OnCallStep).where(
                OnCallStep.organization_id == incident.organization_id, OnCallStep.position == step_position
            )
        ).scalar_one_or_none()
        incident.step_claim = None
        if ok:
            incident.notification_status = "delivered"
            wait = timedelta(seconds=step.ack_seconds if step is not None else 0)
            incident.next_step_position, incident.next_step_at = step_position + 1, now + wait
        elif error not in LASTING_ERRORS and _tries(incident.id, step_position) < 2:
            incident.next_step_at = now + RETRY_AFTER
        else:
            incident.next_step_position, incident.next_step_at = step_position + 1, now
    db.session.commit()


def _tries(incident_id: uuid.UUID, position: int) -> int:
    """How many times the incident's step at `position` has been tried."""
    return db.session.execute(
        db.select(sa.func.count(EscalationAttempt.id)).where(
            EscalationAttempt.incident_id == incident_id,
            EscalationAttempt.purpose == "page",
            EscalationAttempt.position == position,
        )
    ).scalar_one()


def claim_follow_up(now: datetime) -> Incident | None:
    """Take one unresolved incident whose follow-up is due and not yet reminded of, and commit."""
    due = db.session.execute(
        db.select(Incident.id)
        .where(
            Incident.status != "resolved",
            Incident.follow_up_due_at <= now,
            Incident.follow_up_reminded_at.is_(None),
        )
        .order_by(Incident.follow_up_due_at)
        .limit(5)
        .with_for_update(skip_locked=True)
    ).scalars()
    for incident_id in list(due):
        claimed = db.session.execute(
            sa.update(Incident)
            .where(Incident.id == incident_id, Incident.follow_up_reminded_at.is_(None))
            .values(follow_up_reminded_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            db.session.commit()
            return db.session.get(Incident, incident_id, populate_existing=True)
    db.session.commit()
    return None


def start_reminder(incident: Incident, step: OnCallStep, now: datetime) -> uuid.UUID:
    """Record a follow-up reminder about to go through one step's route, and commit; its id."""
    attempt = _add_attempt(incident, step, "follow_up", now)
    db.session.commit()
    return attempt.id


def link_attempt(token: str) -> EscalationAttempt:
    """The delivered e-mail attempt whose acknowledgement link this is, while it is unused."""
    attempt = db.session.execute(
        db.select(EscalationAttempt).where(EscalationAttempt.ack_token_hash == token_hash(token))
    ).scalar_one_or_none()
    if attempt is None:
        raise NotFound("This link has been used already, or it is not a link Hearth sent.")
    return attempt


def acknowledge_by_link(token: str, now: datetime) -> Incident:
    """Acknowledge the incident of an e-mail's link, which then stops working; Conflict if not open."""
    attempt = link_attempt(token)
    incident = db.session.get(Incident, attempt.incident_id, with_for_update=True)
    attempt.ack_token_hash = None
    if incident.status != "open":
        # The link is spent either way; the answer says the incident was already taken care of.
        db.session.commit()
    return mark_acknowledged(incident, now, attempt_id=attempt.id)


def attempts_of(incident_id: uuid.UUID) -> list[EscalationAttempt]:
    """Every attempt to reach someone about the incident, oldest first."""
    return list(
        db.session.execute(
            db.select(EscalationAttempt)
            .where(EscalationAttempt.incident_id == incident_id)
            .order_by(EscalationAttempt.attempted_at, EscalationAttempt.position)
        ).scalars()
    )


# What a facilitator is told to do when nobody on call was reached.
CALL_THE_NUMBER = N_(
    "Nobody at your organization has been reached. If you think the person may be in danger, "
    "call %(number)s%(where)s yourself now, and stay with them."
)
CALL_WHERE_THEY_ARE = N_(
    "Nobody at your organization has been reached. If you think the person may be in danger, "
    "call the emergency number where the person is yourself now, and stay with them."
)


def emergency_advice(incident: Incident, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Whom the facilitator should call themselves: the emergency number of the person's region.

    The instruction is in `language` (the room's, for the console; English for the API).
    """
    registration = (
        db.session.get(Registration, incident.registration_id) if incident.registration_id else None
    )
    session = db.session.get(CircleSession, incident.session_id) if incident.session_id else None
    group = session.group if session is not None else None
    region = crisis.region_for(registration, group)
    number = crisis.emergency_number(incident.organization_id, region)
    if number:
        instruction = translate(language, CALL_THE_NUMBER) % {
            "number": number,
            "where": f" ({region})" if region else "",
        }
    else:
        instruction = translate(language, CALL_WHERE_THEY_ARE)
    return {"region": region, "number": number, "instruction": instruction}


def notification(incident: Incident, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The truth of the on-call policy for an incident, for the facilitator and the API (in `language`)."""
    attempts = attempts_of(incident.id)
    acknowledged_by = None
    if incident.acknowledged_at is not None:
        via = next((a for a in attempts if a.id == incident.acknowledged_attempt_id), None)
        acknowledged_by = (
            {"via": "email", "step": via.position, "email": via.email}
            if via is not None
            else {
                "via": "api",
                "api_key_id": str(incident.acknowledged_by) if incident.acknowledged_by else None,
            }
        )
    reached = [a.position for a in attempts if a.purpose == "page" and a.status == "delivered"]
    return {
        "status": incident.notification_status,
        "delivered_to_step": reached[-1] if reached else None,
        "next_step_at": incident.next_step_at.isoformat() if incident.next_step_at else None,
        "acknowledged_by": acknowledged_by,
        "attempts": [
            {
                "id": str(a.id),
                "purpose": a.purpose,
                "step": a.position,
                "kind": a.kind,
                "endpoint_id": str(a.endpoint_id) if a.endpoint_id else None,
                "email": a.email,
                "status": a.status,
                "error": a.error,
                "status_code": a.status_code,
                "attempted_at": a.attempted_at.isoformat(),
                "finished_at": a.finished_at.isoformat() if a.finished_at else None,
            }
            for a in attempts
        ],
        "emergency": (
            emergency_advice(incident, language) if incident.notification_status in UNREACHED else None
        ),
    }
