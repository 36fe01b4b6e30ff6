"""`Idempotency-Key` for create endpoints: the same key and body return the first result.

The first response is kept for the organization's idempotency retention (a day unless it
chose otherwise) so that a retry gets it back; the purge (domain/retention) then deletes it.
Responses of create endpoints can carry a secret shown once (a join link, an API key), so the
kept copy is encrypted with a key derived from SECRET_KEY, never stored in the clear.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from flask import Response, current_app, make_response, request
from flask_smorest.utils import deepupdate
from sqlalchemy.exc import IntegrityError

from service.api.auth import current_organization_id
from service.api.problems import problem_response
from service.extensions import db
from service.models import IdempotencyRecord, Organization, utcnow

MAX_KEY_LENGTH = 255
IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Send the same key with the same body again to get the first result back.",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"hearth-idempotency:" + current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(digest.digest()))


def _request_fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() + b" " + request.path.encode() + b"\n")
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _kept_for(organization_id: Any) -> timedelta:
    organization = db.session.get_one(Organization, organization_id)
    return timedelta(days=organization.retain_idempotency_keys_days)


def _replay(record: IdempotencyRecord) -> Response:
    try:
        body = _fernet().decrypt(record.response_body.encode())
    except InvalidToken:
        return problem_response(
            409, "The first result for this Idempotency-Key can no longer be read; use a new key."
        )
    response = Response(body, status=record.status_code, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a create view so that a retried request does not create twice."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return view(*args, **kwargs)
        if not key.strip() or len(key) > MAX_KEY_LENGTH:
            return problem_response(
                422,
                "Idempotency-Key must be 1 to 255 characters.",
                errors={"Idempotency-Key": ["Must be 1 to 255 characters."]},
            )
        organization_id = current_organization_id()
        fingerprint = _request_fingerprint()
        record = db.session.execute(
            db.select(IdempotencyRecord).where(
                IdempotencyRecord.organization_id == organization_id,
                IdempotencyRecord.key == key,
            )
        ).scalar_one_or_none()
        if record is not None and record.created_at < utcnow() - _kept_for(organization_id):
            db.session.delete(record)
            db.session.commit()
            record = None
        if record is not None:
            if record.request_hash != fingerprint:
                return problem_response(
                    422,
                    "This Idempotency-Key was used for a different request.",
                    errors={"Idempotency-Key": ["Already used with another body or URL."]},
                )
            if record.status_code is None:
                return problem_response(409, "A request with this Idempotency-Key is still being handled.")
            return _replay(record)
        record = IdempotencyRecord(
            organization_id=organization_id,
            key=key,
            endpoint=f"{request.method} {request.path}"[:300],
            request_hash=fingerprint,
        )
        db.session.add(record)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return problem_response(409, "A request with this Idempotency-Key is still being handled.")
        record_id = record.id
        try:
            response = make_response(view(*args, **kwargs))
        except Exception:
            db.session.rollback()
            _forget(record_id)
            raise
        if 200 <= response.status_code < 300:
            kept = db.session.get(IdempotencyRecord, record_id)
            kept.status_code = response.status_code
            kept.response_body = _fernet().encrypt(response.get_data()).decode()
            db.session.commit()
        else:
            _forget(record_id)
        return response

    # Document the header on the operation in the OpenAPI document.
    wrapper._apidoc = deepupdate(  # type: ignore[attr-defined]
        getattr(view, "_apidoc", {}), {"manual_doc": {"parameters": [IDEMPOTENCY_KEY_PARAMETER]}}
    )
    return wrapper


def _forget(record_id: Any) -> None:
    db.session.execute(db.delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))
    db.session.commit()
