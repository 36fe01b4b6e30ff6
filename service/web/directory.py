"""An organization's public directory: a page of the circles it chose to list, and their feed.

Anyone may read them, with no sign-in: they show only what the organization marked public, and
never any person. The page names the feed with the discovery tag meeting-finder apps look for.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, current_app, jsonify, render_template, url_for

from service.domain import directory
from service.domain.errors import NotFound
from service.domain.recurrence import zone
from service.models import utcnow

bp = Blueprint("directory", __name__)


@bp.get("/directory/<uuid:organization_id>")
def groups_page(organization_id: uuid.UUID):
    try:
        organization = directory.organization(organization_id)
    except NotFound:
        return render_template("directory.html", organization=None), 404
    now = utcnow()
    listed = [
        (group, directory.next_session(group, now)) for group in directory.listed_groups(organization_id)
    ]
    path = url_for("directory.meetings_feed", organization_id=organization_id)
    return render_template(
        "directory.html",
        organization=organization,
        listed=[(group, session) for group, session in listed if session is not None],
        # The specification asks for a fully qualified address.
        feed_url=f"{current_app.config['HEARTH_BASE_URL']}{path}",
        zone=zone,
    )


@bp.get("/directory/<uuid:organization_id>/meetings.json")
def meetings_feed(organization_id: uuid.UUID):
    try:
        meetings = directory.feed(organization_id, utcnow())
    except NotFound:
        return jsonify([]), 404
    response = jsonify(meetings)
    # Meeting finders read the feed from their own pages' scripts; it holds nothing private.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
