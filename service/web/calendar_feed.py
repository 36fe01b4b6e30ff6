"""A participant's calendar feed, reached through their personal join link."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template

from service.domain import calendar
from service.domain.lookup import registration_for_token

bp = Blueprint("calendar_feed", __name__)


@bp.get("/join/<token>/calendar.ics")
def registration_calendar(token: str):
    registration = registration_for_token(token)
    if registration is None:
        return render_template("password_link_invalid.html"), 404
    join_url = f"{current_app.config['HEARTH_BASE_URL']}/join/{token}"
    return Response(calendar.registration_feed(registration, join_url), mimetype="text/calendar")
