"""Liveness and readiness probes, and the answer given while the database cannot be reached."""

from __future__ import annotations

import logging

import redis
from flask import Blueprint, Flask, Response, current_app, request
from sqlalchemy.exc import InterfaceError, OperationalError

from service.api.problems import problem_response
from service.extensions import db
from service.redis_pool import blocking_client

bp = Blueprint("health", __name__)
log = logging.getLogger("hearth.health")

RETRY_AFTER_SECONDS = 5
# The readiness probe's own small pool: it must not wait behind room traffic.
PROBE_CONNECTIONS = 2
PROBE_TIMEOUT_SECONDS = 2.0


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers: nothing else is checked, so a database outage never restarts it."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> Response | dict[str, str]:
    """Whether this process can serve: its database and (when configured) Redis answer."""
    reasons = [reason for reason in (_database_problem(), _redis_problem()) if reason]
    if reasons:
        return problem_response(
            503,
            " ".join(reasons),
            code="not_ready",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return {"status": "ready", "database": "ok", "redis": "ok" if _probe() else "not used"}


def _database_problem() -> str | None:
    try:
        db.session.execute(db.text("SELECT 1"))
        return None
    except (OperationalError, InterfaceError):
        return "The database is unreachable."
    finally:
        db.session.rollback()


def _probe() -> redis.Redis | None:
    return current_app.extensions.get("hearth_redis_probe")


def _redis_problem() -> str | None:
    client = _probe()
    if client is None:
        return None
    try:
        client.ping()
    except redis.RedisError:
        return "Redis is unreachable."
    return None


def database_unavailable(error: OperationalError | InterfaceError) -> Response:
    """Answer 503 with Retry-After (problem+json under /api) when the database cannot be reached."""
    # Only the kind of failure: the driver's text can name hosts, and the trace helps nobody here.
    log.warning("database unavailable: %s", type(error.orig or error).__name__)
    try:
        db.session.rollback()
    except (OperationalError, InterfaceError):
        db.session.invalidate()
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith("/api/"):
        return problem_response(
            503,
            "The service cannot reach its database just now. Nothing was changed; try again shortly.",
            code="database_unavailable",
            headers=headers,
        )
    return Response(
        "Hearth is unavailable for a moment. Please try again in a few seconds.",
        status=503,
        mimetype="text/plain",
        headers=headers,
    )


def init_health(app: Flask) -> None:
    """Register the probes and the database-unavailable answer."""
    if app.config["REDIS_URL"]:
        app.extensions["hearth_redis_probe"] = blocking_client(
            app.config["REDIS_URL"], PROBE_CONNECTIONS, PROBE_TIMEOUT_SECONDS
        )
    app.register_blueprint(bp)
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(InterfaceError, database_unavailable)
