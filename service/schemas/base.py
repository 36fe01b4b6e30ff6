"""The base of every schema: unknown fields are refused, never applied."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


class StrictSchema(ma.Schema):
    """A schema that refuses unknown fields."""

    class Meta:
        unknown = ma.RAISE
        ordered = True


class Trimmed(ma.fields.String):
    """A string with surrounding white space removed before validation."""

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        return result.strip()


class _Computed:
    """Mixed into a field: its value is `compute(obj)` of the whole object, not one attribute.

    Unlike `ma.fields.Function`, the value is then serialized, and documented in the OpenAPI
    document, as the field it is mixed into (a date-time stays an ISO string, typed).
    """

    def __init__(self, compute: Callable[[Any], Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.compute = compute

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = ma.missing) -> Any:
        return self.compute(obj)


class ComputedString(_Computed, ma.fields.String):
    """A string computed from the object being dumped."""


class ComputedBoolean(_Computed, ma.fields.Boolean):
    """A boolean computed from the object being dumped."""


class ComputedDateTime(_Computed, ma.fields.AwareDateTime):
    """A date-time computed from the object being dumped."""


class ComputedDict(_Computed, ma.fields.Dict):
    """An object computed from the object being dumped."""


class PageArgs(ma.Schema):
    limit = ma.fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=ma.validate.Range(1, MAX_LIMIT),
        metadata={"description": f"Items per page (1-{MAX_LIMIT})"},
    )
    cursor = ma.fields.String(
        validate=ma.validate.Length(max=500),
        metadata={"description": "The `next_cursor` of the previous page"},
    )
