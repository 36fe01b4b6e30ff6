"""Redis clients wait for a free pooled connection under a burst instead of failing."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from conftest import REDIS_URL, need_service

from service import create_app
from service.config import Settings
from service.redis_pool import PooledRedisManager, blocking_client
from service.rooms import RedisRoomStore, store_from_url

pytestmark = pytest.mark.redis

BURST = 12


def burst(client: redis.Redis) -> list[object]:
    """BURST calls at once, each holding its connection for a tenth of a second."""
    key = f"hearth-test-empty-{uuid.uuid4().hex}"
    with ThreadPoolExecutor(BURST) as pool:
        futures = [pool.submit(client.blpop, [key], 0.1) for _ in range(BURST)]
    return [f.exception() or f.result() for f in futures]


def test_a_burst_past_the_pool_waits_for_connections():
    need_service(REDIS_URL, "Redis")
    client = blocking_client(REDIS_URL, max_connections=2, pool_timeout=10)
    assert burst(client) == [None] * BURST
    # redis-py's default pool of the same size fails instead.
    default = redis.Redis.from_url(REDIS_URL, max_connections=2)
    assert any(isinstance(outcome, redis.ConnectionError) for outcome in burst(default))
    client.close()
    default.close()


def test_room_store_and_message_queue_use_blocking_pools(app):
    need_service(REDIS_URL, "Redis")
    store = store_from_url(REDIS_URL, max_connections=7, pool_timeout=3)
    assert isinstance(store, RedisRoomStore)
    pool = store.redis.connection_pool
    assert isinstance(pool, redis.BlockingConnectionPool)
    assert (pool.max_connections, pool.timeout) == (7, 3)

    with_redis = create_app(
        Settings.from_environ(),
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=REDIS_URL,
        HEARTH_REDIS_MAX_CONNECTIONS=9,
    )
    manager = with_redis.extensions["socketio"].server.manager
    assert isinstance(manager, PooledRedisManager)
    manager._redis_connect()
    assert isinstance(manager.redis.connection_pool, redis.BlockingConnectionPool)
    assert manager.redis.connection_pool.max_connections == 9
    assert manager.redis.ping() is True
