"""/healthz, /readyz, the answer while the database is away, and the per-process socket cap."""

from __future__ import annotations

import pytest

from service import create_app
from service.config import Settings
from tests.live_server import free_port


@pytest.fixture
def unreachable() -> str:
    """A loopback port nothing listens on."""
    return f"127.0.0.1:{free_port()}"


def test_healthz_answers_without_the_database_and_readyz_names_it(unreachable):
    app = create_app(
        Settings.from_environ(), SQLALCHEMY_DATABASE_URI=f"postgresql://postgres@{unreachable}/hearth"
    )
    client = app.test_client()
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.mimetype == "application/problem+json"
    assert ready.json["code"] == "not_ready" and "database is unreachable" in ready.json["detail"]
    assert ready.headers["Retry-After"] == "5"


def test_the_api_answers_503_problem_with_retry_after_when_the_database_is_away(unreachable):
    app = create_app(
        Settings.from_environ(), SQLALCHEMY_DATABASE_URI=f"postgresql://postgres@{unreachable}/hearth"
    )
    response = app.test_client().get("/api/v1/sessions", headers={"Authorization": "Bearer hk_x"})
    assert response.status_code == 503 and response.mimetype == "application/problem+json"
    assert response.json["code"] == "database_unavailable"
    assert response.headers["Retry-After"] == "5"
    assert "Traceback" not in response.get_data(as_text=True)
    page = app.test_client().get("/join/some-token")
    assert page.status_code == 503 and "try again" in page.get_data(as_text=True)


def test_readyz_names_an_unreachable_redis(app, unreachable):
    broken = create_app(
        Settings.from_environ(),
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=f"redis://{unreachable}/0",
    )
    ready = broken.test_client().get("/readyz")
    assert ready.status_code == 503 and ready.json["detail"] == "Redis is unreachable."


def test_readyz_when_everything_answers(client):
    assert client.get("/readyz").json == {"status": "ready", "database": "ok", "redis": "not used"}


def test_new_sockets_past_the_cap_get_503_while_open_ones_go_on(app):
    capped = create_app(
        Settings.from_environ(),
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        SOCKETIO_ASYNC_MODE="threading",
        HEARTH_MAX_SOCKETS=1,
    )
    client = capped.test_client()
    first = client.get("/socket.io/?EIO=4&transport=polling")
    assert first.status_code == 200
    sid = first.get_data(as_text=True).split('"sid":"', 1)[1].split('"', 1)[0]
    refused = client.get("/socket.io/?EIO=4&transport=polling")
    assert refused.status_code == 503 and refused.mimetype == "application/problem+json"
    assert refused.json["code"] == "server_full" and refused.headers["Retry-After"]
    # The socket already open keeps its requests.
    assert client.post(f"/socket.io/?EIO=4&transport=polling&sid={sid}", data="1").status_code == 200
