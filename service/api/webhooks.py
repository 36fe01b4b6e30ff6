"""/api/v1/webhooks: where the organization receives events."""

from __future__ import annotations

import uuid

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.api.created import created
from service.api.idempotency import idempotent
from service.api.pagination import page_schema, paginate
from service.domain import webhooks
from service.extensions import db
from service.models import WebhookEndpoint
from service.schemas.base import PageArgs
from service.schemas.webhooks import (
    WebhookCreateSchema,
    WebhookSchema,
    WebhookUpdateSchema,
    WebhookWithSecretSchema,
)

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks", description="Webhook endpoints")


def _allow_http() -> bool:
    return bool(current_app.config.get("WEBHOOKS_ALLOW_HTTP", False))


def _dump(endpoint: WebhookEndpoint) -> dict:
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "event_types": endpoint.event_types,
        "description": endpoint.description,
        "enabled": endpoint.enabled,
        "secret_prefix": webhooks.secret_hint(endpoint.secret),
        "created_at": endpoint.created_at,
        "updated_at": endpoint.updated_at,
    }


def _with_secret(endpoint: WebhookEndpoint) -> dict:
    return {**_dump(endpoint), "secret": endpoint.secret}


@blp.route("")
class Webhooks(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(WebhookSchema))
    def get(self, args):
        """List webhook endpoints (their secrets are never shown again)"""
        select = db.select(WebhookEndpoint).where(
            WebhookEndpoint.organization_id == current_organization_id()
        )
        return paginate(
            select,
            order=[WebhookEndpoint.created_at, WebhookEndpoint.id],
            descending=False,
            limit=args["limit"],
            cursor=args.get("cursor"),
            serialize=_dump,
        )

    @idempotent
    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookWithSecretSchema)
    def post(self, data):
        """Add a webhook endpoint; its signing secret is in this response only"""
        endpoint = webhooks.create_endpoint(current_organization_id(), allow_http=_allow_http(), **data)
        return created(_with_secret(endpoint), "webhooks.WebhookById", endpoint_id=endpoint.id)


@blp.route("/<uuid:endpoint_id>")
class WebhookById(MethodView):
    @blp.response(200, WebhookSchema)
    def get(self, endpoint_id: uuid.UUID):
        """Read one webhook endpoint"""
        return _dump(webhooks.get_endpoint(current_organization_id(), endpoint_id))

    @blp.arguments(WebhookUpdateSchema)
    @blp.response(200, WebhookSchema)
    def patch(self, data, endpoint_id: uuid.UUID):
        """Change an endpoint's URL, events, description or whether it is enabled"""
        endpoint = webhooks.update_endpoint(
            current_organization_id(), endpoint_id, allow_http=_allow_http(), **data
        )
        return _dump(endpoint)

    @blp.response(204)
    def delete(self, endpoint_id: uuid.UUID):
        """Delete an endpoint; no more events are sent to it"""
        webhooks.delete_endpoint(current_organization_id(), endpoint_id)


@blp.route("/<uuid:endpoint_id>/rotate-secret")
class WebhookRotateSecret(MethodView):
    @blp.response(200, WebhookWithSecretSchema)
    def post(self, endpoint_id: uuid.UUID):
        """Replace the signing secret; the new one is in this response only"""
        return _with_secret(webhooks.rotate_secret(current_organization_id(), endpoint_id))
