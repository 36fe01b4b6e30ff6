"""Facilitator sign-in and sign-out with Flask's signed session cookie."""

from __future__ import annotations

import uuid
from collections.abc import MutableMapping
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for

from service.domain.facilitators import authenticate_facilitator, end_sign_ins
from service.extensions import db
from service.models import Facilitator
from service.web.csrf import check_csrf

bp = Blueprint("signin", __name__)

SESSION_KEY = "facilitator_id"
VERSION_KEY = "facilitator_session_version"
# One message for every failure, so the page never tells whether an email is known.
FAILED = (
    "That email or password is not right. After several tries in a row, signing in pauses for 15 minutes."
)


def signed_in_facilitator() -> Facilitator | None:
    """The active facilitator signed in with this request's session, or None."""
    raw = session.get(SESSION_KEY)
    if not raw:
        return None
    try:
        facilitator_id = uuid.UUID(raw)
    except (TypeError, ValueError):
        return None
    facilitator = db.session.get(Facilitator, facilitator_id)
    if facilitator is None or not facilitator.active:
        return None
    if session.get(VERSION_KEY) != facilitator.session_version:
        # Signed in before the password last changed: that sign-in is over.
        return None
    return facilitator


def remember_sign_in(cookie: MutableMapping[str, Any], facilitator: Facilitator) -> None:
    """Mark a (fresh) session cookie as signed in as `facilitator`, until their password changes."""
    cookie[SESSION_KEY] = str(facilitator.id)
    cookie[VERSION_KEY] = facilitator.session_version


@bp.route("/facilitator/sign-in", methods=["GET", "POST"])
def sign_in():
    if request.method == "GET":
        if signed_in_facilitator() is not None:
            return redirect(url_for("console.home"))
        return render_template("sign_in.html")
    check_csrf()
    email = request.form.get("email", "")
    facilitator = authenticate_facilitator(email, request.form.get("password", ""), datetime.now(UTC))
    if facilitator is None:
        return render_template("sign_in.html", email=email, error=FAILED), 401
    # A fresh session on sign-in, so a session planted before it (fixation) is worth nothing.
    session.clear()
    remember_sign_in(session, facilitator)
    return redirect(url_for("console.home"))


@bp.post("/facilitator/sign-out")
def sign_out():
    check_csrf()
    facilitator = signed_in_facilitator()
    if facilitator is not None:
        # Server-side: a copy of this cookie, and any room connection it opened, stop working too.
        end_sign_ins(facilitator)
    session.clear()
    return redirect(url_for("signin.sign_in"))
