"""The shape of `service/data/risk_language.json`, the chat risk-language vocabulary."""

from __future__ import annotations

import marshmallow as ma

from service.schemas.base import StrictSchema

CATEGORIES = ("suicidal_thoughts", "plan", "means", "self_harm", "harm_to_others", "danger_from_others")
_TEXT = ma.validate.Length(min=1, max=2000)


def _single_character(value: str) -> None:
    if len(value) != 1:
        raise ma.ValidationError("Map one character to one character.")


def _character_map() -> ma.fields.Dict:
    return ma.fields.Dict(
        keys=ma.fields.String(validate=_single_character),
        values=ma.fields.String(validate=_single_character),
        required=True,
    )


class IdiomSchema(StrictSchema):
    pattern = ma.fields.String(required=True, validate=_TEXT)
    example = ma.fields.String(required=True, validate=_TEXT)


class RuleSchema(StrictSchema):
    id = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$"))
    categories = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(CATEGORIES)),
        required=True,
        validate=ma.validate.Length(min=1),
    )
    pattern = ma.fields.String(required=True, validate=_TEXT)
    example = ma.fields.String(required=True, validate=_TEXT)
    negatable = ma.fields.Boolean(load_default=False)


class RiskLanguageSchema(StrictSchema):
    about = ma.fields.String(required=True)
    homoglyphs = _character_map()
    leet = _character_map()
    rewrites = ma.fields.List(
        ma.fields.List(ma.fields.String(validate=_TEXT), validate=ma.validate.Length(equal=2)), required=True
    )
    classes = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.Regexp(r"^[a-z_]+$")),
        values=ma.fields.List(ma.fields.String(validate=_TEXT), validate=ma.validate.Length(min=1)),
        required=True,
    )
    fuzzy = ma.fields.List(
        ma.fields.String(validate=ma.validate.Regexp(r"^[a-z]{5,}$", error="5 letters or more.")),
        required=True,
    )
    idioms = ma.fields.List(ma.fields.Nested(IdiomSchema), required=True)
    rules = ma.fields.List(ma.fields.Nested(RuleSchema), required=True, validate=ma.validate.Length(min=1))

    @ma.validates_schema
    def _unique_rule_ids(self, data, **kwargs):
        ids = [rule["id"] for rule in data.get("rules", [])]
        if len(set(ids)) != len(ids):
            raise ma.ValidationError("Each rule needs its own id.", "rules")
        for needed in ("negator", "past_habit", "ongoing"):
            if needed not in data.get("classes", {}):
                raise ma.ValidationError(f"A class named {needed} is needed.", "classes")
