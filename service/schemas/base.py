"""The base of every schema: unknown fields are refused, never applied."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import marshmallow as ma

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


# What no text Hearth keeps may hold: C0 controls but tab and line breaks, DEL, the bidi
# overrides and isolates (they make text read other than it is stored), and lone surrogates
# (no database can store them).
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def unsafe_text_fields(data: Any, path: str = "") -> dict[str, list[str]]:
    """Every string in `data` (keys too, at any depth) holding unsafe characters, by field path."""
    found: dict[str, list[str]] = {}
    if isinstance(data, str):
        if UNSAFE_TEXT.search(data):
            found[path or "_schema"] = [
                "Control characters, direction overrides and broken characters are not allowed."
            ]
    elif isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            found.update(unsafe_text_fields(key, where))
            found.update(unsafe_text_fields(value, where))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.update(unsafe_text_fields(value, f"{path}.{index}" if path else str(index)))
    return found


class StrictSchema(ma.Schema):
    """A schema that refuses unknown fields, and text no field should ever hold."""

    class Meta:
        unknown = ma.RAISE
        ordered = True

    @ma.pre_load
    def _refuse_unsafe_text(self, data: Any, **kwargs: Any) -> Any:
        found = unsafe_text_fields(data)
        if found:
            raise ma.ValidationError(found)
        return data


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


class JsonBoolean(ma.fields.Boolean):
    """A JSON `true` or `false` in a body: never "yes", "1" or 1, which marshmallow would take."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


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


class ComputedNested(_Computed, ma.fields.Nested):
    """A nested object computed from the object being dumped (the object itself, say)."""
