"""The database pool: connections kept, and pinged before use only after sitting idle."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from service.config import DATABASE_POOL_SIZE, engine_options
from service.pool_ping import ping_when_idle


@pytest.fixture
def engine(tmp_path, monkeypatch):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'pool.db'}", poolclass=sa.pool.QueuePool)
    pings: list[object] = []
    original = engine.dialect.do_ping

    def counted(dbapi_connection) -> bool:
        pings.append(dbapi_connection)
        return original(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    engine.pings = pings
    yield engine
    engine.dispose()


def test_a_connection_given_back_moments_ago_is_used_without_a_ping(engine):
    ping_when_idle(engine, idle_seconds=60)
    for _ in range(3):
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT 1")).scalar_one() == 1
    assert engine.pings == []


def test_a_connection_that_sat_idle_is_pinged_first(engine):
    ping_when_idle(engine, idle_seconds=0)
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
    assert len(engine.pings) == 2


def test_an_idle_connection_that_went_away_is_replaced_before_use(engine, monkeypatch):
    ping_when_idle(engine, idle_seconds=0)
    with engine.connect() as connection:
        stale = connection.connection.dbapi_connection
    stale.close()  # as if the server had closed it meanwhile

    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT 1")).scalar_one() == 1
        assert connection.connection.dbapi_connection is not stale
    assert engine.pings


def test_a_postgresql_pool_keeps_every_connection_it_opens():
    options = engine_options("postgresql://hearth@db/hearth")
    assert (options["pool_size"], options["max_overflow"]) == (DATABASE_POOL_SIZE, 0)
    assert "pool_pre_ping" not in options
    assert "pool_size" not in engine_options("sqlite:///hearth.db")
