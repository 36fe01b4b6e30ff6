"""Facilitator sign-in and sign-out with Flask's signed session cookie."""

from __future__ import annotations

import time
import uuid
from collections.abc import MutableMapping
from typing import Any

import redis
from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from service.domain.facilitators import end_sign_ins
from service.domain.sign_in import attempt_sign_in
from service.extensions import db
from service.models import Facilitator
from service.rate_limits import sign_in_throttle
from service.web.csrf import check_csrf

bp = Blueprint("signin", __name__)

SESSION_KEY = "facilitator_id"
VERSION_KEY = "facilitator_session_version"
# One message for every failure, so the page never tells whether an email is known: waits follow
# the email typed and this device, whether or not anyone has that email.
FAILED = _l("That email or password is not right.")
UNAVAILABLE = _l("Signing in is not possible for a moment. Please try again in a few seconds.")
# How long to wait when the throttle's store cannot be reached, as the database's 503 says.
UNAVAILABLE_RETRY_SECONDS = 5


def _wait(seconds: int) -> str:
    """How long to wait before the next try, in words: seconds under a minute, else whole minutes."""
    if seconds < 60:
        return ngettext(
            "Too many tries from this device. Wait %(num)d second before you try again.",
            "Too many tries from this device. Wait %(num)d seconds before you try again.",
            seconds,
        )
    return ngettext(
        "Too many tries from this device. Wait %(num)d minute before you try again.",
        "Too many tries from this device. Wait %(num)d minutes before you try again.",
        -(-seconds // 60),
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
    email, password = request.form.get("email", ""), request.form.get("password", "")
    client = request.remote_addr or "unknown"
    try:
        attempt = attempt_sign_in(sign_in_throttle(), email, password, client, time.time())
    except redis.RedisError:
        # Without the failure counts no password is checked: guesses must not go uncounted.
        page = render_template("sign_in.html", email=email, error=UNAVAILABLE)
        return page, 503, {"Retry-After": str(UNAVAILABLE_RETRY_SECONDS)}
    if attempt.facilitator is None:
        said = [] if attempt.refused else [str(FAILED)]
        if attempt.wait_seconds:
            said.append(_wait(attempt.wait_seconds))
        page = render_template("sign_in.html", email=email, error=" ".join(said))
        headers = {"Retry-After": str(attempt.wait_seconds)} if attempt.wait_seconds else {}
        return page, 429 if attempt.refused else 401, headers
    facilitator = attempt.facilitator
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
