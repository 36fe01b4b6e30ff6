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
from service.api.shown_once import ShownOnce
from service.domain import outbox, webhooks
from service.extensions import db
from service.models import WebhookDelivery, WebhookEndpoint, utcnow
from service.schemas.base import PageArgs
from service.schemas.webhooks import (
    DeliveryDetailSchema,
    DeliveryListArgs,
    DeliverySchema,
    WebhookCreateSchema,
    WebhookSchema,
    WebhookUpdateSchema,
    WebhookWithSecretSchema,
)

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks", description="Webhook endpoints")


def _allow_http() -> bool:
    return bool(current_app.config.get("WEBHOOKS_ALLOW_HTTP", False))


def _public_only() -> bool:
    return not current_app.config["WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"]


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
        )

    @idempotent
    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookWithSecretSchema)
    def post(self, data):
        """Add a webhook endpoint; its signing secret is in this response only"""
        issued = webhooks.create_endpoint(
            current_organization_id(), allow_http=_allow_http(), public_only=_public_only(), **data
        )
        shown = ShownOnce(issued.endpoint, secret=issued.secret)
        return created(shown, "webhooks.WebhookById", endpoint_id=issued.endpoint.id)


@blp.route("/<uuid:endpoint_id>")
class WebhookById(MethodView):
    @blp.response(200, WebhookSchema)
    def get(self, endpoint_id: uuid.UUID):
        """Read one webhook endpoint"""
        return webhooks.get_endpoint(current_organization_id(), endpoint_id)

    @blp.arguments(WebhookUpdateSchema)
    @blp.response(200, WebhookSchema)
    def patch(self, data, endpoint_id: uuid.UUID):
        """Change an endpoint's URL, events, description or whether it is enabled"""
        return webhooks.update_endpoint(
            current_organization_id(),
            endpoint_id,
            allow_http=_allow_http(),
            public_only=_public_only(),
            **data,
        )

    @blp.response(204)
    def delete(self, endpoint_id: uuid.UUID):
        """Delete an endpoint; no more events are sent to it"""
        webhooks.delete_endpoint(current_organization_id(), endpoint_id)


@blp.route("/<uuid:endpoint_id>/rotate-secret")
class WebhookRotateSecret(MethodView):
    @blp.response(200, WebhookWithSecretSchema)
    def post(self, endpoint_id: uuid.UUID):
        """Replace the signing secret; the new one is in this response only"""
        issued = webhooks.rotate_secret(current_organization_id(), endpoint_id)
        return ShownOnce(issued.endpoint, secret=issued.secret)


@blp.route("/<uuid:endpoint_id>/deliveries")
class WebhookDeliveries(MethodView):
    @blp.arguments(DeliveryListArgs, location="query")
    @blp.response(200, page_schema(DeliverySchema))
    def get(self, args, endpoint_id: uuid.UUID):
        """List an endpoint's deliveries, newest first"""
        organization_id = current_organization_id()
        webhooks.get_endpoint(organization_id, endpoint_id)
        select = db.select(WebhookDelivery).where(
            WebhookDelivery.organization_id == organization_id, WebhookDelivery.endpoint_id == endpoint_id
        )
        if "status" in args:
            select = select.where(WebhookDelivery.status == args["status"])
        return paginate(
            select,
            order=[WebhookDelivery.created_at, WebhookDelivery.id],
            descending=True,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )


@blp.route("/<uuid:endpoint_id>/deliveries/<uuid:delivery_id>")
class WebhookDeliveryById(MethodView):
    @blp.response(200, DeliveryDetailSchema)
    def get(self, endpoint_id: uuid.UUID, delivery_id: uuid.UUID):
        """Read one delivery with its body and every attempt"""
        return outbox.get_delivery(current_organization_id(), endpoint_id, delivery_id)


@blp.route("/<uuid:endpoint_id>/deliveries/<uuid:delivery_id>/redeliver")
class WebhookRedeliver(MethodView):
    @blp.response(202, DeliveryDetailSchema)
    def post(self, endpoint_id: uuid.UUID, delivery_id: uuid.UUID):
        """Send a delivery again now (even one that failed), with a fresh 24-hour retry schedule"""
        return outbox.redeliver(current_organization_id(), endpoint_id, delivery_id, utcnow())
