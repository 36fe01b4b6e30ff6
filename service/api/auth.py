"""Bearer API key authentication for /api/v1."""

from __future__ import annotations

import uuid

from flask import Response, g, request

from service.api.problems import problem_response
from service.domain import audit
from service.domain.organizations import authenticate_api_key

# Endpoints of /api/v1 that anyone may read: the API's own description.
PUBLIC_ENDPOINTS = {"api-docs.openapi_json", "api_docs_page.docs"}


def require_api_key() -> Response | None:
    """before_request hook: every /api/v1 call names a live key of one organization."""
    if not request.path.startswith("/api/v1") or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.endpoint is None:
        return None  # an unknown URL: let routing answer 404 or 405
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="hearth"'}
    if scheme.lower() != "bearer" or not secret.strip():
        return problem_response(401, "Send an API key as 'Authorization: Bearer <key>'.", headers=challenge)
    holder = authenticate_api_key(secret.strip())
    if holder is None:
        return problem_response(401, "This API key is not valid or was revoked.", headers=challenge)
    g.organization_id = holder.organization_id
    g.api_key_id = holder.key_id
    return None


def current_organization_id() -> uuid.UUID:
    """The organization whose key made this request."""
    return g.organization_id


def api_actor() -> audit.Actor:
    """The organization, through the key that made this request, as the audit log names it."""
    return audit.Actor(g.organization_id, api_key_id=g.api_key_id)
