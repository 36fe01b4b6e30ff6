"""Sessions nobody opened in time: found by the room clock, told to the organization once.

The session's row holds it all: `unattended_at` says the organization was told (claimed with a
conditional update, so one process tells it), `unattended_mail_at` when the on-call e-mails
about it are due, moved a lease ahead by the process sending them so a dead one's are sent again.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa

from service.domain import oncall_policy
from service.domain.sessions import announce
from service.extensions import db
from service.models import CircleSession


def due(now: datetime, after: timedelta) -> list[CircleSession]:
    """Scheduled sessions still unopened `after` their start, not over, not yet reported."""
    # A session made after its start (a group created late) gets the same time from its creation.
    cutoff = now - after
    return list(
        db.session.execute(
            db.select(CircleSession).where(
                CircleSession.status == "scheduled",
                CircleSession.unattended_at.is_(None),
                CircleSession.starts_at <= cutoff,
                CircleSession.created_at <= cutoff,
                CircleSession.ends_at > now,
            )
        ).scalars()
    )


def _mails_to(organization_id: uuid.UUID) -> list[str]:
    return [step.email for step in oncall_policy.steps_of(organization_id) if step.kind == "email"]


def claim(session: CircleSession, now: datetime) -> bool:
    """Mark the session unattended, once across processes, with its webhook and e-mails due (no commit)."""
    mail_at = now if _mails_to(session.organization_id) else None
    claimed = db.session.execute(
        sa.update(CircleSession)
        .where(
            CircleSession.id == session.id,
            CircleSession.status == "scheduled",
            CircleSession.unattended_at.is_(None),
        )
        .values(unattended_at=now, unattended_mail_at=mail_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(session)
    if claimed:
        announce(session, "session.unattended", unattended_at=now)
    return bool(claimed)


def is_unattended(session: CircleSession) -> bool:
    """Whether people waiting for this session should be told nobody has opened it."""
    return session.status == "scheduled" and session.unattended_at is not None


def claim_mail(now: datetime, lease: timedelta) -> tuple[CircleSession, list[str]] | None:
    """One session whose on-call e-mails are due, held for `lease`, with the addresses; commits."""
    due_ids = db.session.execute(
        db.select(CircleSession.id)
        .where(CircleSession.unattended_mail_at <= now)
        .order_by(CircleSession.unattended_mail_at)
        .limit(5)
        .with_for_update(skip_locked=True)
    ).scalars()
    for session_id in list(due_ids):
        claimed = db.session.execute(
            sa.update(CircleSession)
            .where(CircleSession.id == session_id, CircleSession.unattended_mail_at <= now)
            .values(unattended_mail_at=now + lease)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            session = db.session.get(CircleSession, session_id, populate_existing=True)
            addresses = _mails_to(session.organization_id)
            db.session.commit()
            return session, addresses
    db.session.commit()
    return None


def mail_done(session_id: uuid.UUID) -> None:
    """The session's on-call e-mails were tried: none is due any more; commits."""
    db.session.execute(
        sa.update(CircleSession).where(CircleSession.id == session_id).values(unattended_mail_at=None)
    )
    db.session.commit()
