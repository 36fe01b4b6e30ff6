"""The page of an on-call e-mail's one-time link: a GET asks to confirm, only a POST acknowledges.

Mail scanners follow links in e-mails; they must not acknowledge an incident nobody has seen.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from service.domain import escalation
from service.domain.errors import Conflict, NotFound
from service.extensions import db
from service.models import Incident, utcnow

bp = Blueprint("oncall_ack", __name__)

# An incident's severity as the page names it.
SEVERITY_WORDS = {"low": _l("low"), "medium": _l("medium"), "high": _l("high"), "critical": _l("critical")}


@bp.get("/on-call/acknowledge/<token>")
def confirm(token: str):
    try:
        attempt = escalation.link_attempt(token)
    except NotFound:
        return render_template("oncall_ack.html", state="invalid"), 404
    incident = db.session.get(Incident, attempt.incident_id)
    return render_template(
        "oncall_ack.html",
        state="confirm",
        incident=incident,
        severity_word=SEVERITY_WORDS.get(incident.severity, incident.severity),
    )


@bp.post("/on-call/acknowledge/<token>")
def acknowledge(token: str):
    try:
        incident = escalation.acknowledge_by_link(token, utcnow())
    except NotFound:
        return render_template("oncall_ack.html", state="invalid"), 404
    except Conflict as conflict:
        return render_template("oncall_ack.html", state="conflict", message=gettext(conflict.message)), 409
    return render_template("oncall_ack.html", state="done", incident=incident)
