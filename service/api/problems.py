"""RFC 9457 problem details: the one shape of every API error."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import marshmallow as ma
from flask import Response, json
from werkzeug.exceptions import HTTPException

from service.domain.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"

# How each domain error code is said over HTTP.
HTTP_STATUS_BY_CODE = {
    "invalid": 422,
    "not_found": 404,
    "conflict": 409,
    "full": 409,
    "forbidden": 403,
    "gone": 410,
}


class ProblemSchema(ma.Schema):
    """An error, as RFC 9457 problem details."""

    type = ma.fields.String(metadata={"description": "A URI naming the kind of problem"})
    title = ma.fields.String(metadata={"description": "A short summary of the kind of problem"})
    status = ma.fields.Integer(metadata={"description": "The HTTP status code"})
    detail = ma.fields.String(metadata={"description": "What went wrong, for a person to read"})
    code = ma.fields.String(metadata={"description": "A stable machine-readable error code"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Messages per invalid field (dotted paths for nested fields)"},
    )


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    title: str | None = None,
) -> Response:
    """A problem+json response."""
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or phrase,
        "status": status,
        "code": code or phrase.lower().replace(" ", "_").replace("-", "_"),
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested messages into {"a.b": ["message", ...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            for sub_path, sub_messages in flatten_messages(value, path).items():
                flat.setdefault(sub_path, []).extend(sub_messages)
    elif isinstance(messages, list | tuple):
        for item in messages:
            if isinstance(item, dict | list | tuple):
                for sub_path, sub_messages in flatten_messages(item, prefix).items():
                    flat.setdefault(sub_path, []).extend(sub_messages)
            else:
                flat.setdefault(prefix or "_schema", []).append(str(item))
    else:
        flat.setdefault(prefix or "_schema", []).append(str(messages))
    return flat


def _friendly_field_path(path: str) -> str:
    # webargs nests messages under the location ("json", "query"); the field is what matters.
    for location in ("json.", "query.", "querystring.", "headers.", "form."):
        if path.startswith(location):
            return path[len(location) :]
    return path


def problem_from_http_exception(error: HTTPException) -> Response:
    """Answer a werkzeug/webargs HTTP exception as problem details."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = None
    messages = data.get("errors") or data.get("messages")
    if messages:
        errors = {_friendly_field_path(path): msgs for path, msgs in flatten_messages(messages).items()}
    detail = data.get("message")
    if detail is None and status == 422 and errors:
        detail = "Some fields are not valid: " + ", ".join(sorted(errors)) + "."
    if detail is None and status == 413:
        detail = "The request body is larger than this service accepts."
    if detail is None and status < 500:
        detail = error.description
    if status >= 500:
        detail = "Something went wrong on our side. Nothing was changed by this request."
    return problem_response(status, detail, errors=errors, headers=data.get("headers"))


def problem_from_domain_error(error: DomainError) -> Response:
    """Answer a domain rule refusal as problem details."""
    status = HTTP_STATUS_BY_CODE.get(error.code, 400)
    return problem_response(status, error.message, code=error.code, errors=error.fields or None)
