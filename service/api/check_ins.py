"""/api/v1/groups/{id}/check-ins: anonymous aggregates of how people arrived and left."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.domain.check_ins import group_check_ins
from service.models import utcnow
from service.schemas.check_ins import CheckInsArgs, CheckInsSchema

blp = Blueprint("check_ins", __name__, url_prefix="/api/v1", description="Check-in aggregates")


@blp.route("/groups/<uuid:group_id>/check-ins")
class GroupCheckIns(MethodView):
    @blp.arguments(CheckInsArgs, location="query")
    @blp.response(200, CheckInsSchema)
    def get(self, args, group_id: uuid.UUID):
        """Arrival and leaving ratings over whole ended months, each figure only when 5+ people made it up"""
        return group_check_ins(
            current_organization_id(), group_id, args.get("from_"), args.get("to"), utcnow()
        )
