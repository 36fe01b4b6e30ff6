"""Keyset pagination: `limit` and an opaque `cursor`, with the next link in the body."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import datetime
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import request, url_for
from flask_smorest import abort

from service.extensions import db
from service.models.types import UTCDateTime

_page_schemas: dict[str, type[ma.Schema]] = {}


def page_schema(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The envelope schema of a page of `item_schema` items."""
    name = item_schema.__name__.removesuffix("Schema") + "Page"
    if name not in _page_schemas:
        _page_schemas[name] = type(
            name,
            (ma.Schema,),
            {
                "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
                "next_cursor": ma.fields.String(allow_none=True, required=True),
                "next": ma.fields.String(
                    allow_none=True,
                    required=True,
                    metadata={"description": "URL of the next page, or null on the last page"},
                ),
            },
        )
    return _page_schemas[name]


def _encode(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, width: int) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != width:
        abort(422, errors={"query": {"cursor": ["This cursor is not one this API gave out."]}})
    return values


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _from_json(column: sa.ColumnElement, value: Any) -> Any:
    try:
        if isinstance(column.type, UTCDateTime | sa.DateTime):
            return datetime.fromisoformat(value)
        if isinstance(column.type, sa.Uuid):
            return uuid.UUID(value)
    except (TypeError, ValueError):
        abort(422, errors={"query": {"cursor": ["This cursor is not one this API gave out."]}})
    return value


def paginate(
    select: sa.Select,
    *,
    order: list[sa.ColumnElement],
    descending: bool,
    limit: int,
    cursor: str | None,
    columns: bool = False,
) -> dict[str, Any]:
    """One page of `select`, ordered by the `order` columns (the last one unique).

    The items are the rows themselves: the page schema's item schema dumps them. A `select` of
    one model gives its objects; with `columns` it selects columns, and gives its rows.
    """
    if cursor:
        values = [_from_json(col, val) for col, val in zip(order, _decode(cursor, len(order)), strict=True)]
        key = sa.tuple_(*order)
        select = select.where(key < sa.tuple_(*values) if descending else key > sa.tuple_(*values))
    select = select.order_by(*[c.desc() if descending else c.asc() for c in order])
    result = db.session.execute(select.limit(limit + 1))
    rows = list(result if columns else result.scalars())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode([_to_json(getattr(last, col.key)) for col in order])
    next_url = None
    if next_cursor:
        args = request.args.to_dict()
        args.update(cursor=next_cursor, limit=str(limit))
        next_url = url_for(request.endpoint, **(request.view_args or {}), **args, _external=True)
    return {"items": rows, "next_cursor": next_cursor, "next": next_url}
