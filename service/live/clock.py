"""Keeping time for live rooms: every timer of the room, looked at by each process's clock.

Nothing here waits in memory: each tick reads what is due from the database and the room
store, so a timer a process held when it died is picked up by the next tick of any process,
and claims (conditional updates, row locks, the store's once-flags) make each happen once.
"""

from __future__ import annotations

import functools
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from service.domain import sessions, unattended
from service.domain.errors import Conflict
from service.extensions import db
from service.live import moderation, session, support
from service.live.access import Member, session_context
from service.models import CircleSession
from service.rooms.store import RoomStore

log = logging.getLogger("hearth.clock")


@dataclass
class Tick:
    """What one look at the clock did."""

    warned: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    breaths_over: list[str] = field(default_factory=list)
    unattended: list[str] = field(default_factory=list)
    escalated: int = 0
    reach_told: int = 0


def _context_of(session_id: uuid.UUID) -> Member:
    return session_context(db.session.get(CircleSession, session_id))


def tick(store: RoomStore, now: datetime, take_seconds: float, unattended_after: timedelta) -> Tick:
    """Warn rooms nearing their end, end overdue sessions, report unopened rooms, end pauses, escalate,
    tell changed reach.

    A room nobody opened `unattended_after` its start is reported to the organization.
    """
    found = Tick()
    for due in sessions.overdue_sessions(now):
        try:
            session.end(store, due, None, now)
        except Conflict:
            # Another process (or a facilitator) ended it a moment ago.
            db.session.rollback()
        else:
            found.ended.append(str(due.id))
    for soon in sessions.ending_soon(now, session.ENDING_WARNING):
        if session.claim_warning(store, str(soon.id)):
            session.warn_ending(str(soon.id), soon.ends_at)
            found.warned.append(str(soon.id))
    for unopened in unattended.due(now, unattended_after):
        if unattended.claim(unopened, now):
            session.tell_unattended(store, unopened)
            found.unattended.append(str(unopened.id))
    db.session.commit()
    for session_id in sessions.live_session_ids():
        context = functools.partial(_context_of, session_id)
        if moderation.breath_over(store, str(session_id), context, store.clock()):
            found.breaths_over.append(str(session_id))
    found.escalated = support.escalate_unanswered(store, now, take_seconds)
    found.reach_told = support.tell_reach_changes(now)
    return found
