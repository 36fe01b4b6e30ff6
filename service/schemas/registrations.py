from __future__ import annotations

import marshmallow as ma

from service.models import REGISTRATION_STATUSES
from service.schemas.base import PageArgs, StrictSchema, Trimmed

# ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision ("US", "US-CA", "GB-SCT").
REGION_PATTERN = r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$"


class Region(Trimmed):
    """A region code, stored upper-case whatever case it was sent in."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).upper()


class RegistrationCreateSchema(StrictSchema):
    external_ref = Trimmed(
        allow_none=True,
        validate=ma.validate.Length(min=1, max=200),
        metadata={"description": "Your own reference for the person. Never shown to other participants."},
    )
    region = Region(
        allow_none=True,
        validate=ma.validate.Regexp(REGION_PATTERN, error="Use a country code such as US or US-CA."),
        metadata={"description": "Where the person is, for local crisis lines: e.g. US or US-CA"},
    )


class RegistrationSchema(StrictSchema):
    id = ma.fields.UUID()
    group_id = ma.fields.UUID()
    session_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "Null for a seat in every session of the group"}
    )
    external_ref = ma.fields.String(allow_none=True)
    region = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"enum": list(REGISTRATION_STATUSES)})
    created_at = ma.fields.AwareDateTime()
    promoted_at = ma.fields.AwareDateTime(allow_none=True)
    removed_at = ma.fields.AwareDateTime(allow_none=True)


class RegistrationWithLinkSchema(RegistrationSchema):
    join_url = ma.fields.String(
        metadata={"description": "The person's own join link. Shown in this response only."}
    )
    calendar_url = ma.fields.String(
        metadata={"description": "A calendar feed of the person's sessions. Shown in this response only."}
    )


class RegistrationListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(REGISTRATION_STATUSES))
