"""Keeping time for live rooms: a warning before the end, and the end when the time is over."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from service.domain import sessions
from service.domain.incidents import forget_alert_texts
from service.extensions import db
from service.models import Attendance, CircleSession
from service.rooms.errors import NoSuchRoom
from service.rooms.store import RoomStore

ENDING_WARNING = timedelta(minutes=5)
# The store's rate limiter doubles as a once-per-session flag shared by every server process.
WARNING_SEAT = "server"
WARNING_MEMORY_SECONDS = 2 * ENDING_WARNING.total_seconds()


@dataclass
class Tick:
    """What one look at the clock found: rooms to warn and sessions it ended."""

    warned: list[tuple[str, datetime]] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)


def close_attendance(session_id: uuid.UUID, now: datetime) -> None:
    """Note the end time on every attendance of the session still open (no commit)."""
    db.session.execute(
        db.update(Attendance)
        .where(Attendance.session_id == session_id, Attendance.left_at.is_(None))
        .values(left_at=now)
    )


def tick(store: RoomStore, now: datetime) -> Tick:
    """Warn each live room once as its end nears, and end the live sessions whose time is over."""
    found = Tick()
    due = db.session.execute(
        db.select(CircleSession.id, CircleSession.ends_at).where(
            CircleSession.status == "live", CircleSession.ends_at <= now + ENDING_WARNING
        )
    ).all()
    for session_id, ends_at in due:
        if ends_at <= now:
            # Claimed with a conditional update, so only one process ends (and announces) it.
            claimed = db.session.execute(
                db.update(CircleSession)
                .where(CircleSession.id == session_id, CircleSession.status == "live")
                .values(status="ended", ended_at=now)
            ).rowcount
            if claimed:
                close_attendance(session_id, now)
                sessions.announce(db.session.get(CircleSession, session_id), "session.ended")
                forget_alert_texts(session_id)
                found.ended.append(str(session_id))
        elif store.allow(str(session_id), WARNING_SEAT, "ending_warning", 1, WARNING_MEMORY_SECONDS):
            found.warned.append((str(session_id), ends_at))
    db.session.commit()
    for session_id in found.ended:
        # A session may have gone live without anyone in its room on this store.
        with contextlib.suppress(NoSuchRoom):
            store.set_phase(session_id, "ended")
    return found
