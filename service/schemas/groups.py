from __future__ import annotations

import marshmallow as ma

from service.domain.calendar import rrule_text
from service.domain.modes import MODE_NAMES as MODES
from service.domain.recurrence import FREQUENCIES, WEEKDAYS
from service.i18n import N_, language_of, translate
from service.models import FACILITATOR_ROLES, GROUP_STATUSES
from service.schemas.base import ComputedString, JsonBoolean, PageArgs, StrictSchema, Trimmed

# A new group's agreement when none is given, in English; a group gets it in its own language.
DEFAULT_AGREEMENT = (
    N_("One voice at a time."),
    N_("Listen to understand, not to reply."),
    N_("Validate rather than fix: no unsolicited advice."),
    N_("What is shared here stays here."),
    N_("Pass is always an answer: nobody has to speak."),
    N_("Camera off and listening are welcome ways to be here."),
    N_("Quieter voices are welcome."),
)
RELAY_MEDIA_DESCRIPTION = (
    "Whether the circle's audio and video go only through TURN, so that no participant learns "
    "another's network address; null for the organization's default. true is refused (422) "
    "where the deployment has no TURN server."
)
# BCP 47-ish: a primary language subtag, then optional subtags ("en", "pt-BR", "zh-Hant-TW").
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def default_agreement(language: str | None) -> list[str]:
    """The default agreement in a group's language (a BCP 47 tag; English where Hearth has none)."""
    return [translate(language_of(language), item) for item in DEFAULT_AGREEMENT]


class RecurrenceSchema(StrictSchema):
    """How a group repeats. Omitted parts default from first_start."""

    frequency = ma.fields.String(required=True, validate=ma.validate.OneOf(FREQUENCIES))
    interval = ma.fields.Integer(
        load_default=1,
        validate=ma.validate.Range(1, 52),
        metadata={"description": "Every N weeks or months"},
    )
    weekdays = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(WEEKDAYS)),
        validate=ma.validate.Length(min=1, max=7),
        metadata={"description": "Weekly only; defaults to the weekday of first_start"},
    )
    week_of_month = ma.fields.Integer(
        validate=ma.validate.OneOf([1, 2, 3, 4, -1]),
        metadata={"description": "Monthly only: 1-4, or -1 for the last; defaults from first_start"},
    )
    weekday = ma.fields.String(
        validate=ma.validate.OneOf(WEEKDAYS),
        metadata={"description": "Monthly only; defaults to the weekday of first_start"},
    )
    until = ma.fields.Date(metadata={"description": "Last local date (inclusive); not with count"})
    count = ma.fields.Integer(
        validate=ma.validate.Range(1, 500), metadata={"description": "Number of occurrences; not with until"}
    )

    @ma.validates_schema
    def _consistent(self, data, **kwargs):
        errors: dict[str, list[str]] = {}
        if "until" in data and "count" in data:
            errors["count"] = ["Give either until or count, not both."]
        if data.get("frequency") == "weekly":
            errors.update({f: ["Only for monthly rules."] for f in ("week_of_month", "weekday") if f in data})
        if data.get("frequency") == "monthly" and "weekdays" in data:
            errors["weekdays"] = ["Only for weekly rules; use weekday and week_of_month."]
        if errors:
            raise ma.ValidationError(errors)


class GroupFacilitatorSchema(StrictSchema):
    facilitator_id = ma.fields.UUID(required=True)
    role = ma.fields.String(load_default="lead", validate=ma.validate.OneOf(FACILITATOR_ROLES))


class GroupCreateSchema(StrictSchema):
    title = Trimmed(required=True, validate=ma.validate.Length(min=1, max=200))
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))
    topic = Trimmed(load_default="", validate=ma.validate.Length(max=100))
    language = ma.fields.String(
        load_default="en", validate=[ma.validate.Length(max=35), ma.validate.Regexp(LANGUAGE_PATTERN)]
    )
    timezone = ma.fields.String(
        required=True, validate=ma.validate.Length(min=1, max=64), metadata={"example": "Europe/London"}
    )
    first_start = ma.fields.NaiveDateTime(
        required=True, metadata={"description": "Local wall-clock time in `timezone`, without offset"}
    )
    recurrence = ma.fields.Nested(
        RecurrenceSchema, load_default=None, allow_none=True, metadata={"description": "null: one session"}
    )
    duration_minutes = ma.fields.Integer(load_default=60, validate=ma.validate.Range(15, 120))
    capacity = ma.fields.Integer(load_default=8, validate=ma.validate.Range(2, 12))
    waitlist_enabled = JsonBoolean(load_default=False)
    allowed_modes = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(MODES)),
        load_default=lambda: list(MODES),
        validate=ma.validate.Length(min=1),
    )
    chat_enabled = JsonBoolean(load_default=True)
    agreement = ma.fields.List(
        Trimmed(validate=ma.validate.Length(min=1, max=300)),
        validate=ma.validate.Length(min=1, max=20),
        metadata={"description": "Default: the organization's default_agreement, in the group's language"},
    )
    facilitators = ma.fields.List(
        ma.fields.Nested(GroupFacilitatorSchema), load_default=list, validate=ma.validate.Length(max=20)
    )
    lobby_opens_minutes = ma.fields.Integer(load_default=10, validate=ma.validate.Range(0, 60))
    region = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Regexp(r"^[A-Z]{2}$"),
        metadata={"example": "GB"},
    )
    public = JsonBoolean(
        load_default=False,
        metadata={
            "description": "Listed in the organization's public directory feed (needs registration_url)"
        },
    )
    registration_url = ma.fields.Url(
        schemes={"http", "https"},
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=2000),
        metadata={"description": "Your own page where people ask for a place; the directory links to it"},
    )

    relay_media = JsonBoolean(
        load_default=None, allow_none=True, metadata={"description": RELAY_MEDIA_DESCRIPTION}
    )

    @ma.post_load
    def _default_agreement(self, data, partial=False, **kwargs):
        # A new group's default speaks its language; a PATCH (partial) never adds one.
        if not partial and "agreement" not in data:
            data["agreement"] = default_agreement(data["language"])
        return data

    @ma.validates_schema
    def _one_lead(self, data, **kwargs):
        facilitators = data.get("facilitators") or []
        ids = [f["facilitator_id"] for f in facilitators]
        if len(set(ids)) != len(ids):
            raise ma.ValidationError("A facilitator is listed twice.", "facilitators")
        if sum(f.get("role", "lead") == "lead" for f in facilitators) > 1:
            raise ma.ValidationError("At most one lead facilitator.", "facilitators")


class GroupSchema(StrictSchema):
    id = ma.fields.UUID()
    title = ma.fields.String()
    description = ma.fields.String()
    topic = ma.fields.String()
    language = ma.fields.String()
    timezone = ma.fields.String()
    first_start = ma.fields.NaiveDateTime()
    recurrence = ma.fields.Dict(allow_none=True, metadata={"description": "The rule, defaults filled in"})
    rrule = ComputedString(
        rrule_text, allow_none=True, metadata={"description": "The same rule as an iCalendar RRULE"}
    )
    duration_minutes = ma.fields.Integer()
    capacity = ma.fields.Integer()
    waitlist_enabled = ma.fields.Boolean()
    allowed_modes = ma.fields.List(ma.fields.String())
    chat_enabled = ma.fields.Boolean()
    agreement = ma.fields.List(ma.fields.String())
    agreement_version = ma.fields.Integer(
        metadata={"description": "1 at creation, one more at every change of the agreement's text"}
    )
    facilitators = ma.fields.List(ma.fields.Nested(GroupFacilitatorSchema), attribute="facilitator_links")
    lobby_opens_minutes = ma.fields.Integer()
    region = ma.fields.String(allow_none=True)
    public = ma.fields.Boolean()
    registration_url = ma.fields.String(allow_none=True)
    relay_media = ma.fields.Boolean(allow_none=True, metadata={"description": RELAY_MEDIA_DESCRIPTION})
    status = ma.fields.String(metadata={"description": "active or archived (read-only)"})
    materialized_until = ma.fields.AwareDateTime(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


class GroupListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(GROUP_STATUSES))
    public = ma.fields.Boolean(metadata={"description": "Only groups listed (true) or not (false)"})
    sort = ma.fields.String(
        load_default="created_at",
        validate=ma.validate.OneOf(["created_at", "-created_at", "title", "-title"]),
    )


class GroupUpdateSchema(GroupCreateSchema):
    """The fields of a group that PATCH may change; use with partial=True (no defaults apply)."""
