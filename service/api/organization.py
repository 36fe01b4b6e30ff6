"""/api/v1/organization: the caller's own organization and its settings."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.domain import organizations
from service.live.runtime import ice_settings
from service.schemas.organizations import OrganizationSchema, OrganizationUpdateSchema

blp = Blueprint("organization", __name__, url_prefix="/api/v1/organization", description="Organization")


@blp.route("")
class OrganizationItself(MethodView):
    @blp.response(200, OrganizationSchema)
    def get(self):
        """Read your organization's settings"""
        return organizations.get_organization(current_organization_id())

    @blp.arguments(OrganizationUpdateSchema)
    @blp.response(200, OrganizationSchema)
    def patch(self, changes):
        """Change your organization's name, default region, exit page, media relaying or retention settings"""
        return organizations.update_organization(
            current_organization_id(), changes, relay_possible=ice_settings().turn_configured
        )
