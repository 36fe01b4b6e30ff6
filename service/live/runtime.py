"""What every door to the live room shares in a process: the app's room store and its secret."""

from __future__ import annotations

from flask import Flask, current_app

from service.rooms import store_from_url
from service.rooms.store import RoomStore

_STORE = "hearth_rooms"


def install_store(app: Flask) -> None:
    """Give the app its room store: Redis when `REDIS_URL` is set, else this process's memory."""
    app.extensions[_STORE] = store_from_url(
        app.config["REDIS_URL"],
        max_connections=app.config["HEARTH_REDIS_MAX_CONNECTIONS"],
        pool_timeout=app.config["HEARTH_REDIS_POOL_TIMEOUT_SECONDS"],
    )


def room_store() -> RoomStore:
    """The current app's room store."""
    return current_app.extensions[_STORE]


def seat_secret() -> str:
    """The key seat ids are derived with."""
    return current_app.config["SECRET_KEY"]
