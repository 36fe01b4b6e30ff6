"""CSRF tokens for state-changing forms, kept in the signed session cookie."""

from __future__ import annotations

import secrets

from flask import Flask, abort, request, session
from flask_babel import gettext

SESSION_KEY = "csrf_token"
FORM_FIELD = "csrf_token"


def csrf_token() -> str:
    """This session's CSRF token, created on first use."""
    token = session.get(SESSION_KEY)
    if not token:
        token = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    """Abort with 400 unless the submitted form carries this session's CSRF token."""
    expected = session.get(SESSION_KEY)
    sent = request.form.get(FORM_FIELD, "")
    if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        abort(400, description=gettext("The form has expired. Reload the page and try again."))


def init_csrf(app: Flask) -> None:
    """Make `csrf_token()` available to templates."""
    app.context_processor(lambda: {"csrf_token": csrf_token})
