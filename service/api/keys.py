"""/api/v1/api-keys: the organization's API keys."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.api.created import created
from service.api.idempotency import idempotent
from service.api.pagination import page_schema, paginate
from service.api.shown_once import ShownOnce
from service.domain import organizations
from service.extensions import db
from service.models import ApiKey
from service.schemas.base import PageArgs
from service.schemas.keys import ApiKeyCreateSchema, ApiKeySchema, IssuedApiKeySchema

blp = Blueprint("api-keys", __name__, url_prefix="/api/v1/api-keys", description="API keys")


@blp.route("")
class ApiKeys(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(ApiKeySchema))
    def get(self, args):
        """List the organization's API keys (secrets are never shown again)"""
        select = db.select(ApiKey).where(ApiKey.organization_id == current_organization_id())
        return paginate(
            select,
            order=[ApiKey.created_at, ApiKey.id],
            descending=False,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )

    @idempotent
    @blp.arguments(ApiKeyCreateSchema)
    @blp.response(201, IssuedApiKeySchema)
    def post(self, data):
        """Issue a new API key; its secret is in this response only"""
        issued = organizations.issue_api_key(current_organization_id(), data["name"])
        shown = ShownOnce(issued.key, key=issued.secret)
        return created(shown, "api-keys.ApiKeyById", key_id=issued.key.id)


@blp.route("/<uuid:key_id>")
class ApiKeyById(MethodView):
    @blp.response(200, ApiKeySchema)
    def get(self, key_id: uuid.UUID):
        """Read one API key"""
        return organizations.get_api_key(current_organization_id(), key_id)

    @blp.response(204)
    def delete(self, key_id: uuid.UUID):
        """Revoke an API key; requests made with it are refused from now on"""
        organizations.revoke_api_key(current_organization_id(), key_id)
