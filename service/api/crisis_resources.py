"""/api/v1/crisis-resources: the organization's own crisis lines and warmlines, per region."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.api.created import created
from service.api.idempotency import idempotent
from service.api.pagination import page_schema, paginate
from service.domain import crisis
from service.extensions import db
from service.models import CrisisResource
from service.schemas.crisis import (
    CrisisResourceCreateSchema,
    CrisisResourceListArgs,
    CrisisResourceSchema,
    CrisisResourceUpdateSchema,
    DirectoryArgs,
    DirectorySchema,
)

blp = Blueprint(
    "crisis_resources",
    __name__,
    url_prefix="/api/v1/crisis-resources",
    description="Crisis lines and warmlines: the organization's own, shown before the built-in directory",
)


@blp.route("")
class CrisisResources(MethodView):
    @blp.arguments(CrisisResourceListArgs, location="query")
    @blp.response(200, page_schema(CrisisResourceSchema))
    def get(self, args):
        """List the organization's own resources, optionally of one region or kind"""
        select = db.select(CrisisResource).where(CrisisResource.organization_id == current_organization_id())
        if "region" in args:
            select = select.where(CrisisResource.region == args["region"])
        if "kind" in args:
            select = select.where(CrisisResource.kind == args["kind"])
        return paginate(
            select,
            order=[CrisisResource.created_at, CrisisResource.id],
            descending=False,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )

    @idempotent
    @blp.arguments(CrisisResourceCreateSchema)
    @blp.response(201, CrisisResourceSchema)
    def post(self, data):
        """Add a crisis line or warmline for the people of one region (or INTL for everyone)"""
        resource = crisis.create_resource(current_organization_id(), **data)
        return created(resource, "crisis_resources.CrisisResourceById", resource_id=resource.id)


@blp.route("/directory")
class CrisisDirectory(MethodView):
    @blp.arguments(DirectoryArgs, location="query")
    @blp.response(200, DirectorySchema)
    def get(self, args):
        """What a person in a region sees: your own resources, the directory's, then international ones"""
        region = args.get("region")
        return {"region": region, "resources": crisis.resources_for(current_organization_id(), region)}


@blp.route("/<uuid:resource_id>")
class CrisisResourceById(MethodView):
    @blp.response(200, CrisisResourceSchema)
    def get(self, resource_id: uuid.UUID):
        """Read one of the organization's resources"""
        return crisis.get_resource(current_organization_id(), resource_id)

    @blp.arguments(CrisisResourceUpdateSchema)
    @blp.response(200, CrisisResourceSchema)
    def patch(self, data, resource_id: uuid.UUID):
        """Change the given fields of a resource"""
        return crisis.update_resource(current_organization_id(), resource_id, **data)

    @blp.response(204)
    def delete(self, resource_id: uuid.UUID):
        """Remove a resource; people no longer see it"""
        crisis.delete_resource(current_organization_id(), resource_id)
