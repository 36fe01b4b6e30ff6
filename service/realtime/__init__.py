"""The Socket.IO side of the live room: thin adapters from events to `service.live`."""

from __future__ import annotations

from flask import Flask
from flask_socketio import SocketIO

from service.rooms import store_from_url


def init_realtime(app: Flask, socketio: SocketIO) -> None:
    """Give the app its room store and register the event handlers on the current server."""
    # Importing the adapter modules registers their events with `handlers.event`.
    from service.realtime import (  # noqa: F401
        handlers,
        moderation_handlers,
        mood_handlers,
        support_handlers,
    )

    app.extensions["hearth_rooms"] = store_from_url(app.config["REDIS_URL"])
    # Connections live in one process, so which member a socket speaks for is kept here.
    app.extensions["hearth_members"] = {}
    handlers.register(socketio)
