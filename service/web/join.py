"""The participant's personal join page: what the circle is, when it meets, and its agreement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template

from service.domain import lookup, registrations
from service.extensions import db
from service.models import Group

bp = Blueprint("join", __name__)


@dataclass(frozen=True)
class LocalTime:
    """A session's time as the group keeps it: in the group's own time zone."""

    starts: datetime
    ends: datetime
    zone: str


@bp.get("/join/<token>")
def join_page(token: str):
    registration = lookup.registration_for_token(token)
    if registration is None:
        return render_template("join_link_invalid.html"), 404
    group = db.session.get(Group, registration.group_id)
    session = registrations.upcoming_session(registration)
    when = None
    if session is not None:
        zone = ZoneInfo(group.timezone)
        when = LocalTime(session.starts_at.astimezone(zone), session.ends_at.astimezone(zone), group.timezone)
    return render_template(
        "join.html",
        group=group,
        when=when,
        cancelled=session is not None and session.status == "cancelled",
        facilitators=[link.facilitator.name for link in group.facilitator_links if link.facilitator.active],
        waitlisted=registration.status == "waitlisted",
        calendar_url=f"./{token}/calendar.ics",
    )
