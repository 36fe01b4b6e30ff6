"""/api/v1/facilitators: the people who hold circles."""

from __future__ import annotations

import uuid

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.api.created import created
from service.api.idempotency import idempotent
from service.api.pagination import page_schema, paginate
from service.api.shown_once import ShownOnce
from service.domain import facilitators
from service.extensions import db
from service.models import Facilitator, Group
from service.schemas.base import PageArgs
from service.schemas.facilitators import (
    FacilitatorCreateSchema,
    FacilitatorListArgs,
    FacilitatorSchema,
    FacilitatorUpdateSchema,
    FacilitatorWithLinkSchema,
)
from service.schemas.groups import GroupSchema

blp = Blueprint("facilitators", __name__, url_prefix="/api/v1/facilitators", description="Facilitators")


def _password_url(token: str) -> str:
    return f"{current_app.config['HEARTH_BASE_URL']}/facilitator/password/{token}"


def _with_link(facilitator: Facilitator, link: facilitators.PasswordLink) -> ShownOnce:
    return ShownOnce(
        facilitator, password_setup_url=_password_url(link.token), password_setup_expires_at=link.expires_at
    )


@blp.route("")
class Facilitators(MethodView):
    @blp.arguments(FacilitatorListArgs, location="query")
    @blp.response(200, page_schema(FacilitatorSchema))
    def get(self, args):
        """List facilitators"""
        select = db.select(Facilitator).where(Facilitator.organization_id == current_organization_id())
        if "active" in args:
            select = select.where(Facilitator.active == args["active"])
        return paginate(
            select,
            order=[Facilitator.created_at, Facilitator.id],
            descending=False,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )

    @idempotent
    @blp.arguments(FacilitatorCreateSchema)
    @blp.response(201, FacilitatorWithLinkSchema)
    def post(self, data):
        """Add a facilitator; the response carries their one-time password link"""
        facilitator, link = facilitators.create_facilitator(
            current_organization_id(), data["name"], data["email"]
        )
        return created(
            _with_link(facilitator, link), "facilitators.FacilitatorById", facilitator_id=facilitator.id
        )


@blp.route("/<uuid:facilitator_id>")
class FacilitatorById(MethodView):
    @blp.response(200, FacilitatorSchema)
    def get(self, facilitator_id: uuid.UUID):
        """Read one facilitator"""
        return facilitators.get_facilitator(current_organization_id(), facilitator_id)

    @blp.arguments(FacilitatorUpdateSchema)
    @blp.response(200, FacilitatorSchema)
    def patch(self, changes, facilitator_id: uuid.UUID):
        """Change a facilitator's name or email, or deactivate or reactivate them"""
        return facilitators.update_facilitator(current_organization_id(), facilitator_id, changes)


@blp.route("/<uuid:facilitator_id>/groups")
class FacilitatorGroups(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(GroupSchema))
    def get(self, args, facilitator_id: uuid.UUID):
        """List the groups a facilitator is assigned to"""
        facilitator = facilitators.get_facilitator(current_organization_id(), facilitator_id)
        return paginate(
            facilitators.groups_of(facilitator),
            order=[Group.created_at, Group.id],
            descending=False,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )


@blp.route("/<uuid:facilitator_id>/deactivate")
class FacilitatorDeactivate(MethodView):
    @blp.response(200, FacilitatorSchema)
    def post(self, facilitator_id: uuid.UUID):
        """Deactivate a facilitator: they can no longer sign in or hold circles"""
        return facilitators.deactivate_facilitator(current_organization_id(), facilitator_id)


@blp.route("/<uuid:facilitator_id>/password-link")
class FacilitatorPasswordLink(MethodView):
    @blp.response(201, FacilitatorWithLinkSchema)
    def post(self, facilitator_id: uuid.UUID):
        """Issue a new one-time password link (the earlier one stops working)"""
        organization_id = current_organization_id()
        link = facilitators.reissue_password_link(organization_id, facilitator_id)
        return _with_link(facilitators.get_facilitator(organization_id, facilitator_id), link)
