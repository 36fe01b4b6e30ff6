"""Session notes: what a facilitator noted about a circle during or after it, for the organization."""

from __future__ import annotations

import sqlalchemy as sa

from service.domain.errors import Conflict
from service.extensions import db
from service.i18n import N_
from service.models import CircleSession, Facilitator, SessionNote, utcnow

# Notes are about a circle that happened or is happening: not plans for one that has not.
NOTABLE_STATUSES = ("live", "ended")


def add_note(session: CircleSession, facilitator: Facilitator, body: str) -> SessionNote:
    """Keep a facilitator's note on a session that is live or has ended."""
    if session.status not in NOTABLE_STATUSES:
        raise Conflict(N_("Notes are written during or after a session."))
    note = SessionNote(
        organization_id=session.organization_id,
        session_id=session.id,
        facilitator_id=facilitator.id,
        body=body,
        created_at=utcnow(),
    )
    db.session.add(note)
    db.session.commit()
    return note


def notes_of(session: CircleSession) -> sa.Select:
    """The session's notes, for ordering and paging by the caller."""
    return db.select(SessionNote).where(
        SessionNote.session_id == session.id, SessionNote.organization_id == session.organization_id
    )
