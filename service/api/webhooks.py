"""/api/v1/webhooks: where the organization receives events."""

from __future__ import annotations

import json
import uuid

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.api.created import created
from service.api.idempotency import idempotent
from service.api.pagination import page_schema, paginate
from service.domain import outbox, webhooks
from service.extensions import db
from service.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, utcnow
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


def _dump_delivery(delivery: WebhookDelivery) -> dict:
    return {
        "id": delivery.id,
        "endpoint_id": delivery.endpoint_id,
        "event_id": delivery.event_id,
        "event_type": delivery.event.event_type,
        "status": delivery.status,
        "attempt_count": delivery.attempt_count,
        "next_attempt_at": delivery.next_attempt_at if delivery.status == "pending" else None,
        "last_attempt_at": delivery.last_attempt_at,
        "delivered_at": delivery.delivered_at,
        "failed_at": delivery.failed_at,
        "created_at": delivery.created_at,
    }


def _dump_delivery_detail(delivery: WebhookDelivery) -> dict:
    attempts = db.session.execute(
        db.select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id == delivery.id)
        .order_by(WebhookAttempt.attempted_at, WebhookAttempt.id)
    ).scalars()
    return {
        **_dump_delivery(delivery),
        "payload": json.loads(delivery.event.body),
        "attempts": [
            {
                "attempted_at": a.attempted_at,
                "duration_ms": a.duration_ms,
                "status_code": a.status_code,
                "error": a.error,
                "response_excerpt": a.response_excerpt,
            }
            for a in attempts
        ],
    }


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
            serialize=_dump_delivery,
        )


@blp.route("/<uuid:endpoint_id>/deliveries/<uuid:delivery_id>")
class WebhookDeliveryById(MethodView):
    @blp.response(200, DeliveryDetailSchema)
    def get(self, endpoint_id: uuid.UUID, delivery_id: uuid.UUID):
        """Read one delivery with its body and every attempt"""
        return _dump_delivery_detail(outbox.get_delivery(current_organization_id(), endpoint_id, delivery_id))


@blp.route("/<uuid:endpoint_id>/deliveries/<uuid:delivery_id>/redeliver")
class WebhookRedeliver(MethodView):
    @blp.response(202, DeliveryDetailSchema)
    def post(self, endpoint_id: uuid.UUID, delivery_id: uuid.UUID):
        """Send a delivery again now (even one that failed), with a fresh 24-hour retry schedule"""
        delivery = outbox.redeliver(current_organization_id(), endpoint_id, delivery_id, utcnow())
        return _dump_delivery_detail(delivery)
