"""An organization's own settings."""

from __future__ import annotations

import marshmallow as ma

from service.schemas.base import StrictSchema, Trimmed
from service.schemas.groups import DEFAULT_AGREEMENT
from service.schemas.registrations import REGION_PATTERN, Region

RELAY_MEDIA_DEFAULT_DESCRIPTION = (
    "Whether your groups relay all audio and video through TURN by default, so that no participant "
    "learns another's network address (a group may choose otherwise); null for the deployment's "
    "default: on in production where TURN is configured. true is refused (422) where it is not."
)


class OrganizationSettingsSchema(StrictSchema):
    exit_url = ma.fields.Url(
        schemes={"http", "https"},
        allow_none=True,
        validate=ma.validate.Length(max=2000),
        metadata={"description": 'The neutral page "Exit now" leaves for; null for the deployment\'s'},
    )
    relay_media = ma.fields.Boolean(
        allow_none=True,
        metadata={"description": RELAY_MEDIA_DEFAULT_DESCRIPTION},
    )


class OrganizationSchema(StrictSchema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    default_region = ma.fields.String(
        allow_none=True, metadata={"description": "Whose crisis lines a person with no region sees"}
    )
    exit_url = ma.fields.String(
        allow_none=True, metadata={"description": 'Your own page for "Exit now"; null for the deployment\'s'}
    )
    # Hearth's own default today; organizations cannot set one of their own yet.
    default_agreement = ma.fields.List(
        ma.fields.String(),
        dump_default=lambda: list(DEFAULT_AGREEMENT),
        metadata={"description": "What a new group's agreement is when none is given (read-only)"},
    )
    relay_media = ma.fields.Boolean(
        allow_none=True, metadata={"description": RELAY_MEDIA_DEFAULT_DESCRIPTION}
    )
    created_at = ma.fields.AwareDateTime()


class OrganizationUpdateSchema(OrganizationSettingsSchema):
    name = Trimmed(validate=ma.validate.Length(min=1, max=200))
    default_region = Region(
        allow_none=True,
        validate=ma.validate.Regexp(REGION_PATTERN, error="Use a country code such as US or US-CA."),
    )
