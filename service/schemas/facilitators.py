from __future__ import annotations

import marshmallow as ma

from service.schemas.base import ComputedBoolean, JsonBoolean, PageArgs, StrictSchema, Trimmed


class FacilitatorCreateSchema(StrictSchema):
    name = Trimmed(required=True, validate=ma.validate.Length(min=1, max=200))
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=320))


class FacilitatorSchema(StrictSchema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    email = ma.fields.String()
    active = ma.fields.Boolean()
    has_password = ComputedBoolean(lambda facilitator: facilitator.password_hash is not None)
    created_at = ma.fields.AwareDateTime()
    deactivated_at = ma.fields.AwareDateTime(allow_none=True)


class FacilitatorWithLinkSchema(FacilitatorSchema):
    password_setup_url = ma.fields.String(
        metadata={"description": "One-time link to set a password. Shown this once only."}
    )
    password_setup_expires_at = ma.fields.AwareDateTime()


class FacilitatorListArgs(PageArgs):
    active = ma.fields.Boolean(metadata={"description": "Only active (or only deactivated) ones"})


class FacilitatorUpdateSchema(StrictSchema):
    name = Trimmed(validate=ma.validate.Length(min=1, max=200))
    email = ma.fields.Email(validate=ma.validate.Length(max=320))
    active = JsonBoolean(
        metadata={
            "description": "false deactivates (history stays); true reactivates, then issue a password link"
        }
    )
