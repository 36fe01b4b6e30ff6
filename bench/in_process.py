"""What the in-process benchmarks share: the app in this process, and rooms opened by their facilitators."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask

os.environ.setdefault("HEARTH_ENV", "testing")

from bench.load.seed import seed_room
from service import create_app
from service.config import Settings
from service.domain.organizations import create_organization
from service.extensions import db, socketio


@contextmanager
def in_process_app(database_url: str | None, prefix: str) -> Iterator[tuple[Flask, uuid.UUID]]:
    """The app (threading mode, the in-memory room store) with its tables and an organization.

    On `database_url`, an empty database, or else on SQLite in a temporary directory.
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        url = database_url or f"sqlite:///{tmp}/hearth.db"
        app = create_app(
            Settings.from_environ(), SQLALCHEMY_DATABASE_URI=url, SOCKETIO_ASYNC_MODE="threading"
        )
        with app.app_context():
            db.create_all()
            organization_id = create_organization(
                "Benchmark peer support", default_region="GB"
            ).key.organization_id
        yield app, organization_id


def opened_room(app: Flask, organization_id: uuid.UUID, number: int) -> tuple[Any, list[str]]:
    """A circle seeded as `bench.load.seed` does, opened by its facilitator: the host's test client
    (its inbox emptied) and the room's eight join tokens."""
    with app.app_context():
        seeded = seed_room(app, organization_id, number, datetime.now(UTC))
    host_http = app.test_client()
    name, value = seeded["cookie"].split("=", 1)
    host_http.set_cookie(name, value)
    host = socketio.test_client(app, flask_test_client=host_http, auth={"session_id": seeded["session_id"]})
    assert host.emit("room:open", {}, callback=True)["ok"]
    host.get_received()
    return host, seeded["tokens"]


def join_storm(
    app: Flask, host: Any, tokens: list[str], phase: Callable[[str], None] = lambda _: None
) -> list:
    """Seat a room's people as a join storm: each connects and agrees (listen-only) one after the
    other, then the facilitator admits them all; their test clients. `phase` is told each step."""
    people = []
    for number, token in enumerate(tokens):
        phase("connect")
        client = socketio.test_client(app, flask_test_client=app.test_client(), auth={"token": token})
        phase("agree")
        answer = client.emit(
            "room:agree", {"display_name": f"Friend {number}", "mode": "listen_only"}, callback=True
        )
        assert answer["ok"], answer
        people.append(client)
    phase("admit")
    assert len(host.emit("lobby:admit_all", {}, callback=True)["admitted"]) == len(tokens)
    return people
