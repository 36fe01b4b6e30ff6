"""Shared fixtures: the app on a rolled-back transaction, a client, organizations, room stores.

How a test meets the database
    One app is built per test session, on DATABASE_URL when set (the suite's PostgreSQL run)
    or else a SQLite file, and its tables are created once. `app` gives each test that app in
    an app context of its own, with `db.session` on one connection inside a transaction that
    is rolled back after the test. The session joins it with `create_savepoint`, so the code
    under test commits and rolls back as usual (each is a SAVEPOINT) and sees its own writes.
    After each test the app's config and extensions are put back as they were, and every test
    starts with an empty in-memory room store and no connections, as in a new app. So a test
    may set `app.config[...]` freely; nothing it writes reaches the next test.

Really committed data
    Mark a test `@pytest.mark.real_commits` (or a module, with `pytestmark`) when other
    connections or threads must see its data: threads with sessions of their own, row locks
    taken with `skip_locked`. It gets the same app with real commits, and every table is
    emptied after it. Tests that start `hearth serve` (tests/live_server.py) or run migrations
    use a database of their own (a `tmp_path` SQLite file, or `postgres_database`) and no `app`.

Room stores
    `room_store` is the app's store, in memory. A test marked `@pytest.mark.both_stores` that
    uses `room_store` (`circle` in tests/realtime does) runs twice: in memory, and in Redis
    under a key prefix of its own, deleted afterwards. Mark the tests whose assertions rest on
    state the store keeps (seats, queue and floor, rate counts, deadlines, chat and channels);
    the store's own contract is tests/rooms/test_store.py, on both stores.
"""

from __future__ import annotations

import copy
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
import sqlalchemy as sa
from flask import Flask
from flask.globals import app_ctx
from sqlalchemy import orm

os.environ.setdefault("HEARTH_ENV", "testing")

from service import create_app
from service.after_commit import CommittingSession
from service.config import Settings, psycopg2_url
from service.domain.organizations import create_organization
from service.extensions import db
from service.realtime.adapter import Connections
from service.rooms import RedisRoomStore, RoomStore, store_from_url

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


@dataclass
class SharedApp:
    """The test session's one app, and what each test gets back as a new app would have it."""

    app: Flask
    config: dict[str, Any]
    extensions: dict[str, Any]


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory) -> Iterator[SharedApp]:
    """The app of the whole test session, its tables created once: use `app`, not this."""
    database = tmp_path_factory.mktemp("database") / "hearth.db"
    app = create_app(
        Settings.from_environ(),
        SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL") or f"sqlite:///{database}",
        HEARTH_BASE_URL="http://hearth.test",
        SOCKETIO_ASYNC_MODE="threading",
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield SharedApp(app, copy.deepcopy(dict(app.config)), dict(app.extensions))
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(request, shared_app: SharedApp) -> Iterator[Flask]:
    """The session's app in an app context of the test's own, on a rolled-back transaction (see above)."""
    app = shared_app.app
    # Live rooms and connections start empty, as in a new app.
    app.extensions["hearth_rooms"] = store_from_url(app.config["REDIS_URL"])
    app.extensions["hearth_members"] = Connections()
    app.extensions["hearth_departed"] = {}
    # Rate counts and sign-in waits start empty too.
    app.extensions["hearth_limiter"].reset()
    try:
        with app.app_context():
            if request.node.get_closest_marker("real_commits"):
                try:
                    yield app
                finally:
                    db.session.remove()
                    empty_tables()
            else:
                with rolled_back_afterwards(db.engine):
                    yield app
    finally:
        app.config.clear()
        app.config.update(copy.deepcopy(shared_app.config))
        app.extensions.clear()
        app.extensions.update(shared_app.extensions)


class ConnectionSession(CommittingSession):
    """The app's session kept on the connection it is given (Flask-SQLAlchemy's own choice is the engine)."""

    def get_bind(self, *args: Any, **kwargs: Any) -> sa.Connection:
        return self.bind


def _app_context_id() -> int:
    """One session per app context, as Flask-SQLAlchemy scopes `db.session`."""
    return id(app_ctx._get_current_object())


@contextmanager
def rolled_back_afterwards(engine: sa.Engine) -> Iterator[None]:
    """`db.session` on one connection inside a transaction, rolled back at the end.

    The session joins with `create_savepoint`: each commit or rollback of the code under test
    releases or rolls back a SAVEPOINT, so it still sees its own writes and nothing outlives it.
    """
    connection = engine.connect()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # pysqlite opens transactions itself and not around SAVEPOINT; SQLAlchemy's documented
        # workaround hands that to us: no implicit transactions, and an explicit BEGIN.
        driver = connection.connection.driver_connection
        isolation_level, driver.isolation_level = driver.isolation_level, None
    outer = connection.begin()
    if sqlite:
        connection.exec_driver_sql("BEGIN")
    factory = orm.sessionmaker(
        class_=ConnectionSession,
        db=db,
        bind=connection,
        join_transaction_mode="create_savepoint",
        query_cls=db.Query,
    )
    engine_sessions, db.session = db.session, orm.scoped_session(factory, scopefunc=_app_context_id)
    try:
        yield
    finally:
        db.session.remove()
        db.session = engine_sessions
        outer.rollback()
        if sqlite:
            driver.isolation_level = isolation_level
        connection.close()


def empty_tables() -> None:
    """Delete every committed row, children before parents."""
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def room_store(request, app: Flask) -> Iterator[RoomStore]:
    """The app's room store: in memory, or in Redis under a key prefix of its own (`both_stores`)."""
    if getattr(request, "param", "memory") == "memory":
        yield app.extensions["hearth_rooms"]
        return
    need_service(REDIS_URL, "Redis")
    client = redis.Redis.from_url(REDIS_URL)
    prefix = f"hearth-test-{uuid.uuid4().hex[:12]}:"
    app.extensions["hearth_rooms"] = RedisRoomStore(client, key_prefix=prefix)
    yield app.extensions["hearth_rooms"]
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_stores"):
        metafunc.parametrize("room_store", ["memory", "redis"], indirect=True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_commits: the test's commits are real, for other connections and threads to see"
    )
    config.addinivalue_line(
        "markers", "both_stores: run on the memory and the Redis room store (the test uses room_store)"
    )


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
