"""Redis clients on blocking pools of a sized maximum, for the room store and the Socket.IO queue."""

from __future__ import annotations

import redis
import socketio

DEFAULT_MAX_CONNECTIONS = 50
DEFAULT_POOL_TIMEOUT_SECONDS = 5.0
# A Redis that cannot be reached is reported quickly instead of holding a request (and its room).
CONNECT_TIMEOUT_SECONDS = 5.0


def blocking_client(
    url: str,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    pool_timeout: float = DEFAULT_POOL_TIMEOUT_SECONDS,
) -> redis.Redis:
    """A client whose callers wait up to `pool_timeout` for a free connection when all are in use.

    redis-py's default pool raises "Too many connections" at its maximum instead: a burst of room
    events would fail rather than queue for a moment.
    """
    pool = redis.BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=pool_timeout,
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        health_check_interval=30,
    )
    return redis.Redis(connection_pool=pool)


class PooledRedisManager(socketio.RedisManager):
    """python-socketio's Redis message queue, on a blocking pool.

    RedisManager builds its client from the URL with redis-py's default pool and offers no way to
    pass a pool class, so the one method that builds it is replaced (the listener holds one
    connection of the pool for as long as it runs; publishing shares the rest).
    """

    def __init__(
        self,
        url: str,
        *,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        pool_timeout: float = DEFAULT_POOL_TIMEOUT_SECONDS,
        **kwargs,
    ) -> None:
        self.max_connections = max_connections
        self.pool_timeout = pool_timeout
        super().__init__(url, **kwargs)

    def _redis_connect(self) -> None:
        self.redis = blocking_client(self.redis_url, self.max_connections, self.pool_timeout)
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.connected = True
