"""The one-time page where a new facilitator sets their password."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext

from service.domain import facilitators
from service.domain.errors import DomainError, Invalid
from service.domain.passwords import MIN_PASSWORD_LENGTH

bp = Blueprint("facilitator_password", __name__)


@bp.route("/facilitator/password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    facilitator = facilitators.facilitator_for_password_token(token)
    if facilitator is None:
        return render_template("password_link_invalid.html"), 404
    if request.method == "GET":
        return render_template("set_password.html", name=facilitator.name)
    password = request.form.get("password", "")
    if password != request.form.get("confirm", ""):
        return render_template(
            "set_password.html", name=facilitator.name, error=gettext("The two passwords differ.")
        ), 422
    try:
        facilitators.set_password_with_token(token, password)
    except Invalid:
        # The only rule a new password must meet is its length.
        error = gettext("Choose a password of at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
        return render_template("set_password.html", name=facilitator.name, error=error), 422
    except DomainError as error:
        return render_template("set_password.html", name=facilitator.name, error=gettext(error.message)), 422
    return render_template("password_set.html", name=facilitator.name)
