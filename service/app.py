"""The application factory."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from service.capacity import SocketCapacity
from service.config import Settings, engine_options, psycopg2_url
from service.extensions import db, migrate, socketio
from service.health import init_health
from service.pool_ping import ping_when_idle
from service.privacy import redact_path
from service.rate_limits import init_rate_limits
from service.redis_pool import PooledRedisManager

ROOT = Path(__file__).resolve().parent.parent
WEB_DIR = ROOT / "web"
MIGRATIONS_DIR = ROOT / "migrations"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob: mediastream:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

request_log = logging.getLogger("hearth.requests")
# Browsers keep to https for a year once they saw the public origin served over it.
HSTS_SECONDS = 365 * 24 * 60 * 60


class JSON(DefaultJSONProvider):
    """Flask's JSON, refusing a body nested too deeply to parse as bad JSON (400), never a 500."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("The JSON is nested too deeply.") from None

    def ordered_response(self, obj: Any) -> Response:
        """`response(obj)` for an object whose every mapping was built in sorted key order.

        The same bytes, without sorting each mapping again: for a page of sessions, sorting was
        most of the encoding's cost.
        """
        readable = (self.compact is None and self._app.debug) or self.compact is False
        layout: dict[str, Any] = {"indent": 2} if readable else {"separators": (",", ":")}
        return self._app.response_class(
            f"{self.dumps(obj, sort_keys=False, **layout)}\n", mimetype=self.mimetype
        )


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    """Build the Hearth app from `settings` (read from the environment when not given)."""
    settings = settings or Settings.from_environ()
    app = Flask(
        "service",
        instance_relative_config=True,
        template_folder=str(WEB_DIR / "templates"),
        static_folder=str(WEB_DIR / "static"),
        static_url_path="/static",
    )
    app.json = JSON(app)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(settings.flask_config(app.instance_path))
    app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = psycopg2_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"])

    db.init_app(app)
    with app.app_context():
        ping_when_idle(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)

    from service import models  # noqa: F401  (registers every table on db.metadata)
    from service.api import init_api
    from service.realtime import init_realtime
    from service.realtime.packets import TextPacket
    from service.web import init_web

    init_health(app)
    init_api(app)
    # After the API's key check, whose key it counts.
    init_rate_limits(app)
    init_web(app)
    socketio.init_app(
        app,
        message_queue=app.config["REDIS_URL"],
        cors_allowed_origins=list(app.config["HEARTH_ALLOWED_ORIGINS"]),
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE"),
        logger=False,
        engineio_logger=False,
        client_manager=_message_queue(app),
        serializer=TextPacket,
    )
    engineio_server = socketio.server.eio
    if app.config["HEARTH_PROXY_HOPS"]:
        # The client's address as the proxies in front report it (the sign-in throttle's client).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["HEARTH_PROXY_HOPS"])
    app.wsgi_app = SocketCapacity(
        app.wsgi_app, lambda: len(engineio_server.sockets), app.config["HEARTH_MAX_SOCKETS"]
    )
    init_realtime(app, socketio)
    _install_request_hooks(app)
    return app


def _message_queue(app: Flask) -> PooledRedisManager | None:
    """The Socket.IO message queue's client on a blocking pool, when Redis is configured.

    Always passed, None included: the SocketIO object keeps the options of earlier apps.
    """
    if not app.config["REDIS_URL"]:
        return None
    return PooledRedisManager(
        app.config["REDIS_URL"],
        channel="flask-socketio",
        max_connections=app.config["HEARTH_REDIS_MAX_CONNECTIONS"],
        pool_timeout=app.config["HEARTH_REDIS_POOL_TIMEOUT_SECONDS"],
    )


def _install_request_hooks(app: Flask) -> None:
    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.before_request
    def _parse_json_once_safely() -> None:
        # Parsed here with the app's JSON, so a body nested too deeply is a 400 before any
        # view's own parser could meet it as a RecursionError.
        if request.path.startswith("/api/") and request.is_json and request.content_length:
            request.get_json()

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(self), microphone=(self), geolocation=()"
        # Pages show a person's circle, a facilitator's sessions or a one-time link: no cache
        # (a shared computer's, a proxy's) may keep any of them. Static files may be cached.
        if not request.path.startswith("/static/"):
            headers.setdefault("Cache-Control", "no-store")
        if app.config["HEARTH_BASE_URL"].startswith("https://"):
            headers["Strict-Transport-Security"] = f"max-age={HSTS_SECONDS}; includeSubDomains"
        return response

    @app.after_request
    def _log_request(response: Response) -> Response:
        # No client address, no query string, and tokens in paths are masked.
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        request_log.info(
            "%s %s %s %.1fms",
            request.method,
            redact_path(request.path),
            response.status_code,
            elapsed,
        )
        return response
