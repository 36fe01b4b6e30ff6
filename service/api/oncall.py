"""/api/v1/on-call-policy: whom Hearth tries, in order, when there is a concern for someone's safety."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.delivery import mail
from service.domain import oncall_policy
from service.schemas.oncall import PolicySchema

blp = Blueprint(
    "on_call", __name__, url_prefix="/api/v1/on-call-policy", description="The on-call escalation policy"
)


def policy_view(organization_id: uuid.UUID) -> dict[str, Any]:
    """The organization's steps and whether an incident raised now would reach anyone."""
    readiness = oncall_policy.readiness(organization_id, mail.configured(current_app.config))
    return {"steps": oncall_policy.steps_of(organization_id), "readiness": readiness.as_dict()}


@blp.route("")
class OnCallPolicy(MethodView):
    @blp.response(200, PolicySchema)
    def get(self):
        """Read the policy's steps and its readiness (`ready: false` means an escalation reaches nobody)"""
        return policy_view(current_organization_id())

    @blp.arguments(PolicySchema)
    @blp.response(200, PolicySchema)
    def put(self, data):
        """Replace the whole policy: its steps, first to last"""
        organization_id = current_organization_id()
        oncall_policy.replace_policy(organization_id, data["steps"])
        return policy_view(organization_id)
