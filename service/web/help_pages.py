"""/help: a region's crisis lines and warmlines for anyone, with no sign-in, no link and no script."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, redirect, render_template, url_for

from service.domain import crisis
from service.schemas.crisis import RESOURCE_REGION_PATTERN
from service.web.help_lines import help_lines, region_label

bp = Blueprint("help", __name__)


@bp.get("/help")
def choose():
    return _page(None)


@bp.get("/help/<region>")
def region(region: str):
    code = crisis.normalize_region(region)
    if not code or not re.fullmatch(RESOURCE_REGION_PATTERN, code):
        return _page(None, status=404)
    if code != region:
        return redirect(url_for("help.region", region=code), 301)
    return _page(code)


def _page(region: str | None, status: int = 200):
    return render_template(
        "help.html",
        help=help_lines(region, crisis.directory_for(region)),
        choices=[(code, region_label(code)) for code in crisis.directory_regions()],
        not_found=status == 404,
        exit_url=current_app.config["HEARTH_EXIT_URL"],
    ), status
