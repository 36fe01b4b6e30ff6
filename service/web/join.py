"""The participant's way in from their personal join link: the circle, getting ready, the room.

One page: the circle and its agreement are rendered here; getting ready, the private
check-in, the lobby, the room and the goodbye are steps of the same page switched by
`web/static/js/join/join.js`, so one room connection carries from agreeing to leaving. The
person's crisis lines and "Exit now" are in the HTML itself, outside the steps, so they are
there in every step and every end, with no script and no connection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, jsonify, render_template

from service.domain import crisis, lookup, organizations, sessions, unattended
from service.extensions import db
from service.live import support
from service.live.mood import earlier_ratings
from service.models import Group, Organization
from service.web.help_lines import help_lines
from service.web.language import speak
from service.web.mode_labels import LABELS, modes_for_browser

bp = Blueprint("join", __name__)


@dataclass(frozen=True)
class LocalTime:
    """A session's time as the group keeps it (the page shows it in the person's own zone too)."""

    starts: datetime
    ends: datetime
    zone: str


@bp.get("/join/<token>")
def join_page(token: str):
    registration = lookup.registration_for_token(token)
    if registration is None:
        return render_template("join_link_invalid.html"), 404
    group = db.session.get(Group, registration.group_id)
    speak(group.language)
    session = sessions.session_for_link(registration, datetime.now(UTC))
    when = None
    if session is not None:
        zone = ZoneInfo(group.timezone)
        when = LocalTime(session.starts_at.astimezone(zone), session.ends_at.astimezone(zone), group.timezone)
    before = session.starts_at if session is not None else datetime.now(UTC)
    # Help is in the page itself: it needs no connection, in every step and every end.
    region = crisis.person_region(group.organization_id, crisis.region_for(registration, group))
    organization = db.session.get(Organization, group.organization_id)
    reach = support.latest_reach(registration.id, datetime.now(UTC))
    return render_template(
        "join.html",
        group=group,
        when=when,
        cancelled=session is not None and session.status == "cancelled",
        unattended=session is not None and unattended.is_unattended(session),
        facilitators=[link.facilitator.name for link in group.facilitator_links if link.facilitator.active],
        waitlisted=registration.status == "waitlisted",
        calendar_url=f"./{token}/calendar.ics",
        modes=[(mode, LABELS[mode].choice, LABELS[mode].description) for mode in group.allowed_modes],
        # Every way of taking part for the page's scripts; json.dumps keeps the table's order.
        mode_table=json.dumps(modes_for_browser()),
        trend=earlier_ratings(registration.id, before),
        token=token,
        help=help_lines(region, crisis.resources_for(group.organization_id, region)),
        # Where their call for support stands, for whoever lands here after the room (or away
        # from it) without a connection: only once it went beyond the room's facilitators,
        # whose reaching out belongs to the room itself.
        reach=reach if reach and reach["reached"] != "facilitator" else None,
        exit_url=organizations.exit_url_for(organization, current_app.config["HEARTH_EXIT_URL"]),
    )


@bp.get("/join/<token>/support")
def support_reach(token: str):
    """Where the person's latest call for support stands, for their page once it has no connection."""
    registration = lookup.registration_for_token(token)
    if registration is None:
        return jsonify({"reach": None}), 404
    return jsonify({"reach": support.latest_reach(registration.id, datetime.now(UTC))})
