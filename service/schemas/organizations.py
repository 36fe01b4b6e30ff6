"""An organization's own settings."""

from __future__ import annotations

import marshmallow as ma

from service.models import RETENTION_DEFAULTS
from service.schemas.base import ComputedNested, JsonBoolean, StrictSchema, Trimmed
from service.schemas.groups import DEFAULT_AGREEMENT
from service.schemas.registrations import REGION_PATTERN, Region

RELAY_MEDIA_DEFAULT_DESCRIPTION = (
    "Whether your groups relay all audio and video through TURN by default, so that no participant "
    "learns another's network address (a group may choose otherwise); null for the deployment's "
    "default: on in production where TURN is configured. true is refused (422) where it is not."
)


def _days(kind: str, what: str, low: int = 1, high: int = 3650) -> ma.fields.Integer:
    """A retention setting in days, stored on the organization as `retain_<kind>_days`."""
    return ma.fields.Integer(
        attribute=f"retain_{kind}_days",
        strict=True,
        validate=ma.validate.Range(low, high),
        metadata={"description": f"{what} Default {RETENTION_DEFAULTS[kind]}, from {low} to {high}."},
    )


class RetentionSchema(StrictSchema):
    """How many days each kind of kept record stays before the purge removes it."""

    attendance_days = _days(
        "attendance", "Attendance rows, counted from the end of the UTC month of their session."
    )
    check_ins_days = _days(
        "check_ins",
        "Check-in and check-out ratings (also those kept anonymously for aggregates), counted from "
        "the end of the UTC month of their session.",
    )
    incidents_days = _days(
        "incidents",
        "Resolved incidents with their notes, attempts and webhook events, counted from their "
        "resolution; open and acknowledged incidents are kept.",
        low=30,
    )
    support_alerts_days = _days("support_alerts", "Support alerts raised in the rooms, from when raised.")
    session_notes_days = _days("session_notes", "Facilitators' session notes, from when written.")
    audit_entries_days = _days("audit_entries", "Moderation audit entries and erasure records.")
    webhook_deliveries_days = _days(
        "webhook_deliveries",
        "Webhook deliveries that were delivered or given up on, with their attempts and events.",
        high=365,
    )
    on_call_attempts_days = _days(
        "on_call_attempts", "On-call attempts of resolved incidents, from when tried.", low=30
    )
    registrations_days = _days(
        "registrations",
        "Registrations that are over (removed ones from their removal, one-session ones from the "
        "session's end), with their attendance.",
    )
    idempotency_keys_days = _days(
        "idempotency_keys", "Kept results of create requests sent with an Idempotency-Key.", high=30
    )


class OrganizationSettingsSchema(StrictSchema):
    exit_url = ma.fields.Url(
        schemes={"http", "https"},
        allow_none=True,
        validate=ma.validate.Length(max=2000),
        metadata={"description": 'The neutral page "Exit now" leaves for; null for the deployment\'s'},
    )
    relay_media = JsonBoolean(
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
        metadata={
            "description": (
                "What a new group's agreement is when none is given, in English; a group in another "
                "language Hearth speaks gets it in that language (read-only)"
            )
        },
    )
    retention = ComputedNested(lambda organization: organization, nested=RetentionSchema)
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
    retention = ma.fields.Nested(RetentionSchema, metadata={"description": "Only the settings sent change"})
