"""The on-call policy's shape: ordered steps, each a route and a time to acknowledge."""

from __future__ import annotations

import marshmallow as ma

from service.models import ROUTE_KINDS
from service.schemas.base import StrictSchema

MAX_STEPS = 10
# At least a minute to pick up, at most a day: beyond that the next step should have been tried.
ACK_SECONDS = (60, 86400)


class StepSchema(StrictSchema):
    position = ma.fields.Integer(dump_only=True, metadata={"description": "1 for the first step tried"})
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ROUTE_KINDS))
    endpoint_id = ma.fields.UUID(
        allow_none=True,
        metadata={"description": "For `webhook`: one of the organization's webhook endpoints"},
    )
    email = ma.fields.Email(
        allow_none=True, validate=ma.validate.Length(max=320), metadata={"description": "For `email`"}
    )
    ack_seconds = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(*ACK_SECONDS),
        metadata={"description": "How long to wait for an acknowledgement before the next step is tried"},
    )

    @ma.validates_schema
    def _route(self, data, **kwargs):
        needed = "endpoint_id" if data.get("kind") == "webhook" else "email"
        other = "email" if needed == "endpoint_id" else "endpoint_id"
        if data.get(needed) is None:
            raise ma.ValidationError(f"A {data.get('kind')} step needs `{needed}`.", needed)
        if data.get(other) is not None:
            raise ma.ValidationError(f"A {data.get('kind')} step has no `{other}`.", other)


class ReadinessSchema(StrictSchema):
    ready = ma.fields.Boolean(metadata={"description": "Whether an incident raised now has a route to try"})
    routes = ma.fields.Integer(metadata={"description": "How many steps can be tried now"})
    problem = ma.fields.String(
        allow_none=True, metadata={"description": "`no_route` or `routes_unusable` when not ready"}
    )
    message = ma.fields.String(allow_none=True)


class PolicySchema(StrictSchema):
    steps = ma.fields.List(
        ma.fields.Nested(StepSchema), required=True, validate=ma.validate.Length(max=MAX_STEPS)
    )
    readiness = ma.fields.Nested(ReadinessSchema, dump_only=True)
