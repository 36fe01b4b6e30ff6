"""Sessions: a group's occurrences as rows, kept materialized for a rolling horizon, and their states."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from service.domain import outbox
from service.domain.errors import Conflict, Invalid
from service.domain.incidents import forget_alert_texts
from service.domain.lookup import get_session
from service.domain.recurrence import Schedule, zone
from service.extensions import db
from service.models import Attendance, CircleSession, Group, Registration

ARCHIVED_REASON = "The group was archived"
# Sessions whose room can still be reached.
OPEN_STATUSES = ("scheduled", "live")
# A session's room stays reachable this long after its end.
ROOM_CLOSE_GRACE = timedelta(minutes=10)
SCHEDULE_CHANGED_REASON = "The group's schedule changed"


def horizon_end(group: Group, now: datetime, horizon_weeks: int) -> datetime:
    """Up to when sessions should exist: N weeks past now, or past the first one if it is later."""
    return max(now, Schedule.of(group).first_instant()) + timedelta(weeks=horizon_weeks)


def _wanted(group: Group, now: datetime, until: datetime) -> dict[datetime, datetime]:
    """The rule's occurrences not over by `now`, up to `until`, keyed by start, valued by end."""
    # One that began a few minutes ago is still today's circle: people can still come.
    schedule = Schedule.of(group)
    return {
        start: start + schedule.duration
        for start in schedule.starts(until)
        if start + schedule.duration > now
    }


def _new_session(group: Group, start: datetime, end: datetime) -> CircleSession:
    return CircleSession(
        organization_id=group.organization_id,
        group_id=group.id,
        original_start=start,
        starts_at=start,
        ends_at=end,
    )


def _sessions_of(group: Group) -> list[CircleSession]:
    return list(
        db.session.execute(db.select(CircleSession).where(CircleSession.group_id == group.id)).scalars()
    )


def materialize(group: Group, now: datetime, horizon_weeks: int) -> None:
    """Add the sessions the rule has up to the horizon that do not exist yet (no commit)."""
    if group.status != "active":
        return
    until = horizon_end(group, now, horizon_weeks)
    lower = max(now, group.materialized_until) if group.materialized_until else now
    known = {s.original_start for s in _sessions_of(group)}
    _schedule(
        [(start, end) for start, end in _wanted(group, lower, until).items() if start not in known], group
    )
    group.materialized_until = until


def _schedule(occurrences: list[tuple[datetime, datetime]], group: Group) -> None:
    """Add a session for each occurrence and announce it (no commit)."""
    added = [_new_session(group, start, end) for start, end in occurrences]
    db.session.add_all(added)
    db.session.flush()
    for session in added:
        announce(session, "session.scheduled")


def _untouched(session: CircleSession, now: datetime) -> bool:
    """A future occurrence nobody changed by hand: the rule may move or drop it."""
    return session.status == "scheduled" and not session.rescheduled and session.starts_at > now


def _is_referenced(session: CircleSession) -> bool:
    return (
        db.session.execute(
            db.select(Registration.id).where(Registration.session_id == session.id).limit(1)
        ).first()
        is not None
    )


def refresh(group: Group, now: datetime, horizon_weeks: int) -> None:
    """Bring future sessions in line with a changed schedule (no commit)."""
    # Sessions moved or cancelled by hand, and live or ended ones, stay as they are and keep
    # their day. Untouched ones are paired with the new rule by local date, so a change of time
    # moves a session (keeping its id and registrations) rather than replacing it; one whose
    # date left the rule is deleted, or cancelled when a registration names it.
    until = horizon_end(group, now, horizon_weeks)
    tz = zone(group.timezone)
    wanted = _wanted(group, now, until)
    by_day = {start.astimezone(tz).date(): start for start in wanted}
    sessions = _sessions_of(group)
    untouched = [s for s in sessions if _untouched(s, now)]
    for kept in (s for s in sessions if not _untouched(s, now)):
        by_day.pop(kept.original_start.astimezone(tz).date(), None)
    for session in untouched:
        start = by_day.pop(session.original_start.astimezone(tz).date(), None)
        if start is not None:
            moved = (session.starts_at, session.ends_at) != (start, wanted[start])
            session.original_start, session.starts_at, session.ends_at = start, start, wanted[start]
            if moved:
                announce(session, "session.rescheduled")
        elif _is_referenced(session):
            _cancel(session, now, SCHEDULE_CHANGED_REASON)
        else:
            # Nobody holds a seat in it, so it goes; whoever was told it was scheduled is told it is not.
            announce(session, "session.cancelled", cancelled_at=now)
            db.session.delete(session)
    # Flush moves and deletions first: a new row may take an original_start an old one gave up.
    db.session.flush()
    _schedule([(start, wanted[start]) for start in by_day.values()], group)
    group.materialized_until = until


def cancel_future(group: Group, now: datetime, reason: str) -> None:
    """Cancel every scheduled session of the group that has not started (no commit)."""
    for session in _sessions_of(group):
        if session.status == "scheduled" and session.starts_at > now:
            _cancel(session, now, reason)


def extend_horizons(now: datetime, horizon_weeks: int, organization_id: uuid.UUID | None = None) -> int:
    """Materialize every active group (of one organization, if given) up to the horizon; returns how many.

    Idempotent, and safe to run from several processes at once: each group is extended in its own
    short transaction under a row lock, and a group another process holds is skipped (it is
    being extended or changed there, and a change materializes too).
    """
    select = db.select(Group.id).where(Group.status == "active")
    if organization_id is not None:
        select = select.where(Group.organization_id == organization_id)
    group_ids = list(db.session.execute(select).scalars())
    db.session.commit()
    extended = 0
    for group_id in group_ids:
        group = db.session.execute(
            db.select(Group)
            .where(Group.id == group_id, Group.status == "active")
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if group is not None and (
            group.materialized_until is None
            or group.materialized_until < horizon_end(group, now, horizon_weeks)
        ):
            materialize(group, now, horizon_weeks)
            extended += 1
        db.session.commit()
    return extended


def _cancel(session: CircleSession, now: datetime, reason: str) -> None:
    session.status = "cancelled"
    session.cancel_reason = reason
    session.cancelled_at = now
    # The reason is the organization's own words and stays out of the event.
    announce(session, "session.cancelled", cancelled_at=now)


def _require(session: CircleSession, status: str, action: str) -> None:
    if session.status != status:
        raise Conflict(f"Only a {status} session can be {action}; this one is {session.status}.")


def cancel_session(
    organization_id: uuid.UUID, session_id: uuid.UUID, reason: str, now: datetime
) -> CircleSession:
    """Cancel one session that has not ended; a live one closes at once (its room is told by the caller)."""
    session = get_session(organization_id, session_id)
    if session.status == "live":
        _close_live(session, "cancelled", now)
    else:
        _require(session, "scheduled", "cancelled")
    _cancel(session, now, reason)
    db.session.commit()
    return session


def reschedule_session(
    organization_id: uuid.UUID,
    session_id: uuid.UUID,
    starts_at: datetime,
    duration_minutes: int | None,
    now: datetime,
) -> CircleSession:
    """Move (and optionally resize) one scheduled session; the series leaves it alone from now on."""
    session = get_session(organization_id, session_id)
    _require(session, "scheduled", "rescheduled")
    if starts_at <= now:
        raise Invalid(
            "A session can only be moved to the future.", fields={"starts_at": ["Must be in the future."]}
        )
    length = timedelta(minutes=duration_minutes) if duration_minutes else session.ends_at - session.starts_at
    _refuse_overlap(session, starts_at, starts_at + length)
    session.starts_at, session.ends_at = starts_at, starts_at + length
    session.rescheduled = True
    announce(session, "session.rescheduled")
    db.session.commit()
    return session


def _refuse_overlap(session: CircleSession, starts_at: datetime, ends_at: datetime) -> None:
    """Conflict when [starts_at, ends_at) overlaps another open session of the same group."""
    # Two rooms of one circle at once would split its people between them.
    other = db.session.execute(
        db.select(CircleSession)
        .where(
            CircleSession.group_id == session.group_id,
            CircleSession.id != session.id,
            CircleSession.status.in_(OPEN_STATUSES),
            CircleSession.starts_at < ends_at,
            CircleSession.ends_at > starts_at,
        )
        .order_by(CircleSession.starts_at)
        .limit(1)
    ).scalar_one_or_none()
    if other is not None:
        span = f"{other.starts_at.isoformat()} to {other.ends_at.isoformat()}"
        raise Conflict(
            "The new time overlaps another session of this group.",
            fields={"starts_at": [f"Overlaps session {other.id} ({span})."]},
        )


def start_session(organization_id: uuid.UUID, session_id: uuid.UUID, now: datetime) -> CircleSession:
    """Open a scheduled session: it is live."""
    session = get_session(organization_id, session_id)
    _require(session, "scheduled", "started")
    session.status, session.started_at = "live", now
    announce(session, "session.started")
    db.session.commit()
    return session


def end_session(organization_id: uuid.UUID, session_id: uuid.UUID, now: datetime) -> CircleSession:
    """Close a live session: it has ended (Conflict unless live, also when another process ended it)."""
    session = get_session(organization_id, session_id)
    _close_live(session, "ended", now)
    db.session.commit()
    return session


def live_session_ids() -> list[uuid.UUID]:
    """The ids of every live session, of every organization (for the room clock, each second)."""
    # Only the ids: loading every live session with what it eagerly loads cost the clock more than its work.
    return list(
        db.session.execute(db.select(CircleSession.id).where(CircleSession.status == "live")).scalars()
    )


def overdue_sessions(now: datetime) -> list[CircleSession]:
    """Live sessions whose (possibly moved) end has passed, which the room clock ends."""
    return list(
        db.session.execute(
            db.select(CircleSession).where(CircleSession.status == "live", CircleSession.ends_at <= now)
        ).scalars()
    )


def ending_soon(now: datetime, within: timedelta) -> list[CircleSession]:
    """Live sessions that end within `within` from `now`, not yet over."""
    return list(
        db.session.execute(
            db.select(CircleSession).where(
                CircleSession.status == "live",
                CircleSession.ends_at > now,
                CircleSession.ends_at <= now + within,
            )
        ).scalars()
    )


def _close_live(session: CircleSession, status: str, now: datetime) -> None:
    """Take a live session to `status` once, whoever asks first; its attendance closes (no commit)."""
    # A conditional update, so two processes (or the clock and a facilitator) cannot both end it.
    claimed = db.session.execute(
        db.update(CircleSession)
        .where(CircleSession.id == session.id, CircleSession.status == "live")
        .values(status=status, ended_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(session)
    if not claimed:
        raise Conflict(f"Only a live session can be ended; this one is {session.status}.")
    db.session.execute(
        db.update(Attendance)
        .where(Attendance.session_id == session.id, Attendance.left_at.is_(None))
        .values(left_at=now)
    )
    if status == "ended":
        announce(session, "session.ended")
    forget_alert_texts(session.id)


def session_for_link(registration: Registration, now: datetime) -> CircleSession | None:
    """The session a person's join link opens now: their own session, or the group's next one.

    The next one is the earliest scheduled or live session whose room is still reachable
    (until `ROOM_CLOSE_GRACE` after its end).
    """
    if registration.session_id is not None:
        return db.session.get(CircleSession, registration.session_id)
    return db.session.execute(next_session_for_link(registration, now)).scalar_one_or_none()


def next_session_for_link(registration: Registration, now: datetime) -> sa.Select:
    """The query of the group's next session a link of the whole group opens (see `session_for_link`)."""
    return next_session_of_group(CircleSession, registration.group_id, now - ROOM_CLOSE_GRACE)


def next_session_of_group(sessions: Any, group_id: Any, ends_from: Any) -> sa.Select:
    """The query of a group's earliest session in `OPEN_STATUSES` ending at `ends_from` or later.

    `sessions` is `CircleSession` or an alias of it, `group_id` and `ends_from` values or SQL
    expressions, so that the rule can be a correlated part of a larger statement too.
    """
    return (
        db.select(sessions)
        .where(
            sessions.group_id == group_id,
            sessions.status.in_(OPEN_STATUSES),
            sessions.ends_at >= ends_from,
        )
        .order_by(sessions.starts_at)
        .limit(1)
    )


def announce(session: CircleSession, event_type: str, **times: datetime) -> None:
    """Record a session's webhook event, with its ids and times (and any other `times`) only (no commit)."""
    outbox.enqueue(
        session.organization_id,
        event_type,
        {
            "session_id": session.id,
            "group_id": session.group_id,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "started_at": session.started_at,
            "ended_at": session.ended_at,
            **times,
        },
    )


def bring_end_forward(organization_id: uuid.UUID, session_id: uuid.UUID, ends_at: datetime) -> CircleSession:
    """Move a live session's end to `ends_at`, never later than it was; the room's clock ends it then."""
    session = get_session(organization_id, session_id)
    _require(session, "live", "ended early")
    session.ends_at = min(session.ends_at, ends_at)
    db.session.commit()
    return session
