"""An organization's own settings."""

from __future__ import annotations

import marshmallow as ma

from service.schemas.base import StrictSchema


class OrganizationSettingsSchema(StrictSchema):
    exit_url = ma.fields.Url(
        schemes={"http", "https"},
        allow_none=True,
        validate=ma.validate.Length(max=2000),
        metadata={"description": 'The neutral page "Exit now" leaves for; null for the deployment\'s'},
    )
