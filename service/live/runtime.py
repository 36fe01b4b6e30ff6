"""What every door to the live room shares in a process: the app's room store and its secret."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class IceSettings:
    """The deployment's STUN and TURN servers, TURN credentials' lifetime, whether it relays by default."""

    stun_urls: tuple[str, ...]
    turn_urls: tuple[str, ...]
    turn_secret: str | None
    ttl_seconds: int
    relay_by_default: bool

    @property
    def turn_configured(self) -> bool:
        """Whether media can be relayed: TURN servers and the secret their credentials are made with."""
        return bool(self.turn_urls and self.turn_secret)


def ice_settings() -> IceSettings:
    """The current app's ICE settings."""
    config = current_app.config
    return IceSettings(
        stun_urls=tuple(config["HEARTH_STUN_URLS"]),
        turn_urls=tuple(config["HEARTH_TURN_URLS"]),
        turn_secret=config["HEARTH_TURN_SECRET"],
        ttl_seconds=config["HEARTH_TURN_TTL_SECONDS"],
        relay_by_default=config["HEARTH_RELAY_MEDIA_DEFAULT"],
    )
