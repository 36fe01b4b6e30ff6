"""The front door: health, security headers, configuration, the API description."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from service import create_app
from service.config import DATABASE_POOL_SIZE, ConfigError, Settings, engine_options, psycopg2_url


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_security_headers_on_every_page(client):
    for path in ("/", "/healthz", "/api/v1/openapi.json", "/api/v1/docs"):
        headers = client.get(path).headers
        assert headers["Referrer-Policy"] == "no-referrer"
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_openapi_document_and_docs_page_are_public(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert spec.json["openapi"].startswith("3.")
    assert "/api/v1/facilitators" in spec.json["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert b"/api/v1/facilitators" in page.data
    assert b"<script" not in page.data and b"style=" not in page.data


def test_unknown_api_path_is_404_problem(org):
    response = org.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_secret_key_required_in_production(monkeypatch):
    monkeypatch.setenv("HEARTH_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(Settings.from_environ())


def test_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("HEARTH_ENV", "staging-ish")
    with pytest.raises(ConfigError):
        Settings.from_environ()


def test_request_log_masks_tokens_and_omits_addresses(client, caplog):
    with caplog.at_level(logging.INFO, logger="hearth.requests"):
        client.get("/facilitator/password/SECRET-TOKEN-123", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    text = caplog.text
    assert "/facilitator/password/[redacted]" in text
    assert "SECRET-TOKEN-123" not in text and "203.0.113.9" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/help",
        "/help/GB",
        "/facilitator/sign-in",
        "/facilitator/password/not-a-token",
        "/join/not-a-token",
    ],
)
def test_no_page_may_be_kept_by_a_cache(client, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    assert "no-store" not in client.get("/static/css/room.css").headers.get("Cache-Control", "")


def test_strict_transport_security_only_for_an_https_origin(app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    app.config["HEARTH_BASE_URL"] = "https://circles.example.org"
    assert client.get("/").headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_a_process_keeps_its_postgresql_connections_open_rather_than_reconnecting(postgres_database):
    url = psycopg2_url(postgres_database)
    # A short wait for a free connection, so the ceiling shows at once.
    engine = sa.create_engine(url, **engine_options(url), pool_timeout=0.1)
    try:
        busy = [engine.connect() for _ in range(DATABASE_POOL_SIZE)]
        with pytest.raises(sa.exc.TimeoutError):
            engine.connect()
        for connection in busy:
            connection.close()
        # Every connection of a busy moment is kept for the next one (the default kept five).
        assert engine.pool.checkedin() == DATABASE_POOL_SIZE
    finally:
        engine.dispose()
