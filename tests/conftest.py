"""Shared fixtures: an app on a fresh database, a client, and organizations with keys."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pytest
import sqlalchemy as sa

os.environ.setdefault("HEARTH_ENV", "testing")

from service import create_app
from service.config import Settings, psycopg2_url
from service.domain.organizations import create_organization
from service.extensions import db

REQUIRE_SERVICES = os.environ.get("HEARTH_REQUIRE_SERVICES") == "1"
POSTGRES_URL = os.environ.get("HEARTH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("HEARTH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def reachable(url: str) -> bool:
    """Whether a TCP connection to the URL's host and port opens."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1):
            return True
    except OSError:
        return False


def need_service(url: str, what: str) -> None:
    """Skip when a service is down, unless HEARTH_REQUIRE_SERVICES=1 makes that a failure."""
    if reachable(url):
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} at {url} is required (HEARTH_REQUIRE_SERVICES=1) but unreachable")
    pytest.skip(f"{what} is not reachable at {url}")


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A throwaway PostgreSQL database, dropped afterwards."""
    need_service(POSTGRES_URL, "PostgreSQL")
    name = f"hearth_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(psycopg2_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    parts = urlsplit(POSTGRES_URL)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def database_url_for_tests(tmp_path) -> str:
    """DATABASE_URL when set (the suite's PostgreSQL run), else a fresh SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'hearth.db'}"


@pytest.fixture
def app(tmp_path):
    settings = Settings.from_environ()
    app = create_app(
        settings,
        SQLALCHEMY_DATABASE_URI=database_url_for_tests(tmp_path),
        HEARTH_BASE_URL="http://hearth.test",
        SOCKETIO_ASYNC_MODE="threading",
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class Org:
    """An organization as a test sees it: its id, its key and an authorized client."""

    id: uuid.UUID
    key: str
    client: object

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}", **extra}

    def get(self, url: str, **kw):
        return self.client.get(url, headers=self.headers(**kw.pop("headers", {})), **kw)

    def post(self, url: str, **kw):
        return self.client.post(url, headers=self.headers(**kw.pop("headers", {})), **kw)

    def patch(self, url: str, **kw):
        return self.client.patch(url, headers=self.headers(**kw.pop("headers", {})), **kw)

    def put(self, url: str, **kw):
        return self.client.put(url, headers=self.headers(**kw.pop("headers", {})), **kw)

    def delete(self, url: str, **kw):
        return self.client.delete(url, headers=self.headers(**kw.pop("headers", {})), **kw)


def _make_org(app, name: str) -> Org:
    issued = create_organization(name, default_region="US")
    return Org(id=issued.key.organization_id, key=issued.secret, client=app.test_client())


@pytest.fixture
def org(app) -> Org:
    return _make_org(app, "Riverside Peer Support")


@pytest.fixture
def other_org(app) -> Org:
    return _make_org(app, "Elsewhere Wellbeing")


@pytest.fixture
def outbox_events(monkeypatch) -> list[tuple[uuid.UUID, str, dict]]:
    """Every webhook event enqueued from now on, as (organization id, type, data), still enqueued."""
    from service.domain import outbox

    events: list[tuple[uuid.UUID, str, dict]] = []
    enqueue = outbox.enqueue

    def record(organization_id: uuid.UUID, event_type: str, data: dict) -> None:
        # Enqueued events belong to a transaction the caller commits.
        assert db.session().in_transaction()
        events.append((organization_id, event_type, data))
        enqueue(organization_id, event_type, data)

    monkeypatch.setattr(outbox, "enqueue", record)
    return events
