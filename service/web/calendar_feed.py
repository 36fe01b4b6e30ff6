"""A participant's calendar feed, reached through their personal join link."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template
from flask_babel import gettext as _

from service.domain import calendar
from service.domain.lookup import registration_for_token
from service.extensions import db
from service.models import Group
from service.web.language import speak

bp = Blueprint("calendar_feed", __name__)


def _words() -> calendar.FeedWords:
    return calendar.FeedWords(
        circle=_("A Hearth peer support circle (%(minutes)d minutes)."),
        join=_("Join from your personal link (keep it to yourself): %(url)s"),
        waitlisted=_(
            "You are on the waitlist for this circle: you do not have a seat yet. If a seat frees up, "
            "this calendar shows every session you have a seat in."
        ),
        waitlisted_entry=_("Waitlisted: %(title)s"),
        waitlisted_calendar=_("%(title)s (waitlisted)"),
    )


@bp.get("/join/<token>/calendar.ics")
def registration_calendar(token: str):
    registration = registration_for_token(token)
    if registration is None:
        return render_template("password_link_invalid.html"), 404
    # A calendar app asks in no one's language: the feed speaks the circle's, or the person's choice.
    speak(db.session.get_one(Group, registration.group_id).language)
    join_url = f"{current_app.config['HEARTH_BASE_URL']}/join/{token}"
    feed = calendar.registration_feed(registration, join_url, _words())
    return Response(feed, mimetype="text/calendar")
