"""Rate limits: every API key's calls, and the sign-in throttle's counts, in Redis or in memory.

With REDIS_URL set the counts live in Redis, so every process of a deployment counts together;
without it each process counts on its own, in memory.
"""

from __future__ import annotations

import math
import time

from flask import Flask, Response, current_app, g
from flask_limiter import HeaderNames, Limiter, RequestLimit

from service.api.problems import problem_response
from service.derived_keys import app_key
from service.domain.sign_in import Throttle, ThrottlePolicy

# Counts of one deployment share the storage's keys under this prefix.
KEY_PREFIX = "hearth"
CLIENT_TAG_PURPOSE = "hearth client tags v1"


def _api_key_bucket() -> str:
    return f"api-key:{g.api_key_id}"


def _not_an_api_call() -> bool:
    # Set by service/api/auth.py once a key is known; pages, probes and sockets are not counted here.
    return g.get("api_key_id") is None


def _too_many(limit: RequestLimit) -> Response:
    wait = max(1, math.ceil(limit.reset_at - time.time()))
    return problem_response(
        429,
        f"This API key has made more calls than its limit ({limit.limit}). Try again in {wait} seconds.",
        code="rate_limited",
        headers={"Retry-After": str(wait)},
    )


def init_rate_limits(app: Flask) -> Limiter:
    """Count each API key's calls against HEARTH_API_RATE_LIMIT; run after the API's key check."""
    limiter = Limiter(
        _api_key_bucket,
        application_limits=[lambda: current_app.config["HEARTH_API_RATE_LIMIT"]],
        application_limits_exempt_when=_not_an_api_call,
        storage_uri=app.config["REDIS_URL"] or "memory://",
        strategy="sliding-window-counter",
        headers_enabled=True,
        # Flask-Limiter would put its window's reset into Retry-After on every counted answer,
        # overriding a 503's own (the database is back in 5 s, not when the window resets). The
        # reset goes in a header of its own; Retry-After is said only by a refusal (429, 503).
        header_name_mapping={HeaderNames.RETRY_AFTER: "X-RateLimit-Reset-After"},
        on_breach=_too_many,
        key_prefix=KEY_PREFIX,
        # With Redis away the API still answers (each miss is logged); readiness reports Redis.
        swallow_errors=True,
    )
    limiter.init_app(app)
    app.extensions["hearth_limiter"] = limiter
    return limiter


def sign_in_throttle() -> Throttle:
    """The running app's sign-in throttle, over the limiter's storage."""
    config = current_app.config
    policy = ThrottlePolicy(
        free_tries=config["HEARTH_SIGN_IN_FREE_TRIES"],
        client_free_tries=config["HEARTH_SIGN_IN_CLIENT_FREE_TRIES"],
        max_wait_seconds=config["HEARTH_SIGN_IN_MAX_WAIT_SECONDS"],
        first_wait_seconds=config["HEARTH_SIGN_IN_FIRST_WAIT_SECONDS"],
    )
    storage = current_app.extensions["hearth_limiter"].storage
    return Throttle(storage, app_key(CLIENT_TAG_PURPOSE), policy)
