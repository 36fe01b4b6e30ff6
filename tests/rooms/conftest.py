"""The room store under test, in memory and in Redis alike, on a clock the test moves."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from conftest import REDIS_URL, need_service

from service.rooms import MemoryRoomStore, RedisRoomStore, RoomStore

ROOM = "session-1"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def key_prefix() -> str:
    """A key prefix of its own for each test."""
    return f"hearth-test-{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def redis_client(key_prefix: str) -> Iterator[redis.Redis]:
    """A client of the local Redis; the test's keys are deleted afterwards."""
    need_service(REDIS_URL, "Redis")
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    for key in client.scan_iter(match=f"{key_prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["memory", "redis"])
def store(request, clock: FakeClock, key_prefix: str) -> RoomStore:
    if request.param == "memory":
        return MemoryRoomStore(clock=clock)
    client = request.getfixturevalue("redis_client")
    return RedisRoomStore(client, key_prefix=key_prefix, clock=clock)


def state(store: RoomStore) -> dict:
    snap = store.snapshot(ROOM)
    assert snap is not None
    return snap
