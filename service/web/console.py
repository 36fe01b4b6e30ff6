"""The facilitator's pages: their upcoming sessions, and the console of one session."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, redirect, render_template, url_for

from service.domain.attendance import attendance_select
from service.domain.sessions import ROOM_CLOSE_GRACE
from service.extensions import db
from service.models import Attendance, CircleSession, Facilitator, Group, GroupFacilitator, utcnow
from service.web.mode_labels import LABELS, modes_for_browser
from service.web.signin import signed_in_facilitator

bp = Blueprint("console", __name__)

# How far ahead the facilitator's list looks.
UPCOMING_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class Upcoming:
    """One session in a facilitator's list, with its times in the group's own zone."""

    session: CircleSession
    group: Group
    starts: datetime
    ends: datetime

    @property
    def live(self) -> bool:
        """Whether the room has been opened."""
        return self.session.status == "live"


def upcoming_sessions(facilitator: Facilitator, now: datetime) -> list[Upcoming]:
    """Scheduled or live sessions of the facilitator's groups in the next two weeks, soonest first.

    A session still running (or in its closing grace) is included, so an open room stays listed.
    """
    rows = db.session.execute(
        db.select(CircleSession, Group)
        .join(Group, Group.id == CircleSession.group_id)
        .join(GroupFacilitator, GroupFacilitator.group_id == Group.id)
        .where(
            GroupFacilitator.facilitator_id == facilitator.id,
            CircleSession.organization_id == facilitator.organization_id,
            CircleSession.status.in_(("scheduled", "live")),
            CircleSession.ends_at >= now - ROOM_CLOSE_GRACE,
            CircleSession.starts_at <= now + UPCOMING_WINDOW,
        )
        .order_by(CircleSession.starts_at, Group.title)
    ).all()
    return [
        Upcoming(
            session=session,
            group=group,
            starts=session.starts_at.astimezone(ZoneInfo(group.timezone)),
            ends=session.ends_at.astimezone(ZoneInfo(group.timezone)),
        )
        for session, group in rows
    ]


@dataclass(frozen=True)
class Came:
    """One person's presence, as the console lists it after the session: no name, no rating."""

    facilitator: bool
    how: str
    joined: datetime
    left: datetime | None
    agreed: bool


def who_came(session: CircleSession, zone: ZoneInfo) -> list[Came]:
    """Everyone who joined the session, in the order they first came in."""
    rows = db.session.execute(
        attendance_select(session.organization_id, session_id=session.id).order_by(
            Attendance.joined_at, Attendance.id
        )
    ).scalars()
    return [
        Came(
            facilitator=row.facilitator_id is not None,
            how="facilitating" if row.facilitator_id else LABELS[row.mode].status,
            joined=row.joined_at.astimezone(zone),
            left=row.left_at.astimezone(zone) if row.left_at else None,
            agreed=row.agreement_accepted_at is not None,
        )
        for row in rows
    ]


def _assigned_session(facilitator: Facilitator, raw_id: str) -> tuple[CircleSession, Group]:
    """The session if the facilitator facilitates its group; otherwise 404, telling nothing more."""
    try:
        session_id = uuid.UUID(raw_id)
    except ValueError:
        abort(404)
    session = db.session.get(CircleSession, session_id)
    if session is None or session.organization_id != facilitator.organization_id:
        abort(404)
    group = db.session.get(Group, session.group_id)
    if all(link.facilitator_id != facilitator.id for link in group.facilitator_links):
        abort(404)
    return session, group


@bp.after_request
def _no_store(response: Response) -> Response:
    # These pages show who is signed in and their sessions; no cache may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/facilitator")
def home():
    facilitator = signed_in_facilitator()
    if facilitator is None:
        return redirect(url_for("signin.sign_in"))
    return render_template(
        "facilitator_home.html",
        name=facilitator.name,
        sessions=upcoming_sessions(facilitator, utcnow()),
    )


@bp.get("/facilitator/sessions/<session_id>")
def console(session_id: str):
    facilitator = signed_in_facilitator()
    if facilitator is None:
        return redirect(url_for("signin.sign_in"))
    session, group = _assigned_session(facilitator, session_id)
    zone = ZoneInfo(group.timezone)
    return render_template(
        "console.html",
        name=facilitator.name,
        session=session,
        group=group,
        starts=session.starts_at.astimezone(zone),
        ends=session.ends_at.astimezone(zone),
        came=who_came(session, zone) if session.status == "ended" else None,
        # Every way of taking part for the page's scripts; json.dumps keeps the table's order.
        mode_table=json.dumps(modes_for_browser()),
    )
