from __future__ import annotations

import marshmallow as ma

from service.schemas.base import StrictSchema, Trimmed


class ApiKeyCreateSchema(StrictSchema):
    name = Trimmed(required=True, validate=ma.validate.Length(min=1, max=200))


class ApiKeySchema(StrictSchema):
    id = ma.fields.UUID(dump_only=True)
    name = ma.fields.String()
    prefix = ma.fields.String(metadata={"description": "The first characters of the key"})
    created_at = ma.fields.AwareDateTime()
    last_used_at = ma.fields.AwareDateTime(allow_none=True)
    revoked_at = ma.fields.AwareDateTime(allow_none=True)


class IssuedApiKeySchema(ApiKeySchema):
    key = ma.fields.String(metadata={"description": "The secret key. Shown this once only."})
