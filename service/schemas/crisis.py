"""Crisis lines and warmlines: the directory file's entries and the organization's own."""

from __future__ import annotations

import re

import marshmallow as ma

from service.models import CONTACT_CHANNELS, RESOURCE_KINDS
from service.schemas.base import PageArgs, StrictSchema, Trimmed
from service.schemas.registrations import Region

# A country (ISO 3166-1 alpha-2), optionally a subdivision of it, or INTL (shown everywhere).
RESOURCE_REGION_PATTERN = r"^(INTL|[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?)$"
REGION_ERROR = "Use a country code such as US, a subdivision such as US-CA, or INTL."


def _region(description: str = "Where the line serves: US, US-CA, GB, ... or INTL", **kwargs) -> Region:
    return Region(
        validate=ma.validate.Regexp(RESOURCE_REGION_PATTERN, error=REGION_ERROR),
        metadata={"example": "GB", "description": description},
        **kwargs,
    )


# What a number to call or text may hold, and what an address for chat or the web starts with.
DIALLED = re.compile(r"^\+?[0-9][0-9 ()\-.]{0,29}$")
PAGE_ADDRESS = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)


def _web_url(**kwargs) -> ma.fields.Url:
    return ma.fields.Url(schemes={"http", "https"}, validate=ma.validate.Length(max=2000), **kwargs)


class ContactSchema(StrictSchema):
    channel = ma.fields.String(required=True, validate=ma.validate.OneOf(CONTACT_CHANNELS))
    value = Trimmed(
        required=True,
        validate=ma.validate.Length(min=1, max=300),
        metadata={"description": "A number to call or text, or a URL for chat and web"},
    )
    note = Trimmed(load_default=None, allow_none=True, validate=ma.validate.Length(min=1, max=300))

    @ma.validates_schema
    def _value_fits_channel(self, data: dict, **kwargs) -> None:
        # Rendered as tel:, sms: and https: links: anything else (javascript:, data:) never is.
        if data["channel"] in ("chat", "web"):
            if not PAGE_ADDRESS.match(data["value"]):
                raise ma.ValidationError("A chat or web contact is an https:// or http:// address.", "value")
        elif not DIALLED.match(data["value"]):
            raise ma.ValidationError("A number to call or text: digits, spaces, + ( ) - and . only.", "value")


def _contacts(schema: type[ma.Schema], **kwargs) -> ma.fields.List:
    return ma.fields.List(ma.fields.Nested(schema), validate=ma.validate.Length(min=1, max=10), **kwargs)


class DirectoryContactSchema(ContactSchema):
    """A contact of the directory file: it may name the countries it is for (see crisis.py)."""

    regions = ma.fields.List(
        ma.fields.String(validate=ma.validate.Regexp(r"^[A-Z]{2}$")), validate=ma.validate.Length(min=1)
    )


class ResourceSchema(StrictSchema):
    """A crisis line or warmline as a person sees it (the directory's or the organization's)."""

    id = ma.fields.String()
    name = ma.fields.String()
    kind = ma.fields.String(metadata={"enum": list(RESOURCE_KINDS)})
    region = ma.fields.String()
    contacts = ma.fields.List(ma.fields.Nested(ContactSchema))
    hours = ma.fields.String()
    url = ma.fields.String(allow_none=True)
    source = ma.fields.String(metadata={"description": "Where these details were confirmed"})
    checked_on = ma.fields.String(metadata={"format": "date", "description": "When they were last confirmed"})


class CrisisResourceSchema(ResourceSchema):
    """One of the organization's own resources."""

    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


class DirectoryEntrySchema(StrictSchema):
    """An entry of `service/data/crisis_resources.json`: a complete Resource, checked strictly."""

    id = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$"))
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(RESOURCE_KINDS))
    region = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^(INTL|[A-Z]{2})$"))
    contacts = _contacts(DirectoryContactSchema, required=True)
    hours = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    url = _web_url(required=True, allow_none=True)
    source = _web_url(required=True)
    checked_on = ma.fields.Date(required=True)


class DirectoryFileSchema(StrictSchema):
    about = ma.fields.String(required=True)
    resources = ma.fields.List(ma.fields.Nested(DirectoryEntrySchema), required=True)

    @ma.validates_schema
    def _unique_ids(self, data, **kwargs):
        ids = [entry["id"] for entry in data.get("resources", [])]
        if len(set(ids)) != len(ids):
            raise ma.ValidationError("Each entry needs its own id.", "resources")


class CrisisResourceCreateSchema(StrictSchema):
    name = Trimmed(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(RESOURCE_KINDS),
        metadata={"description": "crisis, or warmline for a non-crisis peer line"},
    )
    region = _region(required=True)
    contacts = _contacts(ContactSchema, required=True)
    hours = Trimmed(required=True, validate=ma.validate.Length(min=1, max=200))
    url = _web_url(load_default=None, allow_none=True)
    source = Trimmed(
        required=True,
        validate=ma.validate.Length(min=1, max=2000),
        metadata={"description": "Where you confirmed these details: a URL or a short note"},
    )
    checked_on = ma.fields.Date(metadata={"description": "When you confirmed them; today when left out"})


class CrisisResourceUpdateSchema(StrictSchema):
    name = Trimmed(validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.String(validate=ma.validate.OneOf(RESOURCE_KINDS))
    region = _region()
    contacts = _contacts(ContactSchema)
    hours = Trimmed(validate=ma.validate.Length(min=1, max=200))
    url = _web_url(allow_none=True)
    source = Trimmed(validate=ma.validate.Length(min=1, max=2000))
    checked_on = ma.fields.Date()


class CrisisResourceListArgs(PageArgs):
    region = _region()
    kind = ma.fields.String(validate=ma.validate.OneOf(RESOURCE_KINDS))


class DirectoryArgs(ma.Schema):
    region = _region("Where the person is; the organization's default region when left out")


class DirectorySchema(StrictSchema):
    region = ma.fields.String(allow_none=True, metadata={"description": "The region the list is for"})
    resources = ma.fields.List(ma.fields.Nested(ResourceSchema))
