"""Check-in aggregates: whole months, each figure shown only when enough people made it up."""

from __future__ import annotations

import marshmallow as ma

from service.domain.check_ins import MINIMUM_PEOPLE, Month
from service.schemas.base import ComputedString, StrictSchema

# Years from 2000 keep every month, and the months a default range counts back, a valid date.
_MONTH = ma.validate.Regexp(r"^2\d{3}-(0[1-9]|1[0-2])$", error="A month, as YYYY-MM (from 2000).")


class CheckInsArgs(ma.Schema):
    from_ = ma.fields.String(
        data_key="from",
        validate=_MONTH,
        metadata={"description": "The first month (YYYY-MM, UTC); 11 months before `to` if not given"},
    )
    to = ma.fields.String(
        validate=_MONTH,
        metadata={
            "description": "The last month (YYYY-MM, UTC), included; the last ended month if not given"
        },
    )

    @ma.post_load
    def _months(self, data, **kwargs):
        months = {key: Month.parse(value) for key, value in data.items()}
        if "from_" in months and "to" in months and months["to"] < months["from_"]:
            raise ma.ValidationError("Must not be before `from`.", "to")
        return months


class _FigureSchema(StrictSchema):
    shown = ma.fields.Boolean()
    reason = ma.fields.String(
        allow_none=True, metadata={"description": "`too_few_people` when withheld, else null"}
    )
    minimum = ma.fields.Integer(
        metadata={"description": f"Distinct people each counted month needs ({MINIMUM_PEOPLE})"}
    )
    mean = ma.fields.Float(allow_none=True)
    months = ma.fields.List(
        ma.fields.String(), metadata={"description": "The months counted: those with enough people"}
    )


class RatingFigureSchema(_FigureSchema):
    distribution = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        allow_none=True,
        metadata={"description": "How many ratings of each value, 1 to 5"},
    )


class ChangeFigureSchema(_FigureSchema):
    pass


class CheckInsSchema(StrictSchema):
    group_id = ma.fields.UUID()
    from_ = ComputedString(lambda result: str(result.first), data_key="from")
    to = ComputedString(lambda result: str(result.last))
    arrival = ma.fields.Nested(RatingFigureSchema, metadata={"description": "How people arrived"})
    leaving = ma.fields.Nested(RatingFigureSchema, metadata={"description": "How people left"})
    change = ma.fields.Nested(
        ChangeFigureSchema,
        metadata={"description": "Mean of leaving minus arriving, over people who gave both"},
    )
