"""The one-time page where a new facilitator sets their password."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from service.domain import facilitators
from service.domain.errors import DomainError

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
            "set_password.html", name=facilitator.name, error="The two passwords differ."
        ), 422
    try:
        facilitators.set_password_with_token(token, password)
    except DomainError as error:
        return render_template("set_password.html", name=facilitator.name, error=error.message), 422
    return render_template("password_set.html", name=facilitator.name)
