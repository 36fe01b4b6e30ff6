"""Real servers and plain Socket.IO clients that know only docs/realtime.md."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
import socketio as socketio_client
from conftest import REDIS_URL, need_service
from flask import Flask

from service import create_app
from service.config import Settings
from service.domain.organizations import create_organization
from service.extensions import db
from tests.api.helpers import make_group
from tests.live_server import live_server
from tests.realtime.conftest import add_facilitator, add_registration, add_session

pytestmark = pytest.mark.slow

# What `hearth_env` (HEARTH_ENV=development, no SECRET_KEY) makes the servers sign cookies with.
DEVELOPMENT_SECRET = "hearth-development-only-key"


@pytest.fixture
def room_store():
    """These tests bring their own servers; the in-process store fixture does not apply."""


class Person:
    """A Socket.IO client as a browser would be, remembering the latest events it was sent."""

    def __init__(self, url: str, auth: dict, cookie: str | None = None, origin: str | None = None) -> None:
        self.state: dict | None = None
        self.chat: list[dict] = []
        self.reactions: list[dict] = []
        self.ended: list[dict] = []
        self.lock = threading.Lock()
        self.client = socketio_client.Client()
        self.client.on("room:state", self._on_state)
        self.client.on("chat:message", self.chat.append)
        self.client.on("reaction", self.reactions.append)
        self.client.on("room:ended", self.ended.append)
        headers = {"Cookie": f"session={cookie}"} if cookie else {}
        if origin:
            headers["Origin"] = origin
        self.client.connect(url, auth=auth, headers=headers, transports=["polling"], wait_timeout=10)

    def _on_state(self, state: dict) -> None:
        with self.lock:
            self.state = state

    def call(self, event: str, data: dict | None = None) -> dict:
        return self.client.call(event, data or {}, timeout=10)

    def sees(self, check: Callable[[dict], bool]) -> dict:
        """Wait until the latest state passes `check`; that state."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with self.lock:
                state = self.state
            if state is not None and check(state):
                return state
            time.sleep(0.05)
        raise AssertionError(f"never saw the expected state; last: {self.state}")


def wait_for(items: list) -> list:
    """`items` once something has arrived in it (or after 10 seconds)."""
    deadline = time.monotonic() + 10
    while not items and time.monotonic() < deadline:
        time.sleep(0.05)
    return items


def circle_in(database: str) -> tuple[str, str, str, str]:
    """A circle whose lobby is open in `database`: session id, host cookie and two join tokens."""
    app = create_app(Settings.from_environ(), SQLALCHEMY_DATABASE_URI=database)
    with app.app_context():
        # The attendance table has no migration yet: add it beside the migrated schema.
        db.create_all()
        org_id = create_organization("Live circle", default_region="US").key.organization_id
        group = make_group(org_id, lobby_opens_minutes=10)
        session = add_session(group, timedelta(minutes=5))
        facilitator = add_facilitator(group)
        _, sam_token = add_registration(group)
        _, ash_token = add_registration(group)
        session_id, facilitator_id = str(session.id), str(facilitator.id)
        db.engine.dispose()
    signer = Flask("signer")
    signer.secret_key = DEVELOPMENT_SECRET
    serializer = signer.session_interface.get_signing_serializer(signer)
    return session_id, serializer.dumps({"facilitator_id": facilitator_id}), sam_token, ash_token


def test_a_whole_session(tmp_path):
    database = f"sqlite:///{tmp_path / 'circle.db'}"
    with live_server(database) as server:
        session_id, cookie, sam_token, _ = circle_in(database)
        # A page on another site cannot open the room with a stolen cookie or link.
        with pytest.raises(socketio_client.exceptions.ConnectionError):
            Person(server.url, {"token": sam_token}, origin="https://elsewhere.example")
        host = Person(server.url, {"session_id": session_id}, cookie)
        sam = Person(server.url, {"token": sam_token}, origin=server.url)
        try:
            lobby = sam.sees(lambda s: s["you"] is None)
            assert [seat["role"] for seat in lobby["seats"]] == ["facilitator"]
            assert sam.call("room:agree", {"display_name": "Sam", "mode": "camera_off"}) == {"ok": True}
            waiting = sam.sees(lambda s: s["you"] is not None and s["you"]["where"] == "lobby")
            sam_seat = waiting["you"]["seat_id"]
            assert host.call("room:open") == {"ok": True}
            assert host.call("lobby:admit", {"seat_id": sam_seat}) == {"ok": True}
            sam.sees(lambda s: s["you"]["where"] == "room" and s["phase"] == "open")

            assert sam.call("hand:raise") == {"ok": True, "position": 0}
            assert host.call("floor:pass") == {"ok": True, "floor": sam_seat}
            sam.sees(lambda s: s["you"]["has_floor"] and s["you"]["may_publish_audio"])
            assert sam.call("floor:response", {"preference": "just_listening"}) == {"ok": True}
            assert host.call("reaction:send", {"kind": "sending_care"}) == {"ok": True}
            assert wait_for(sam.reactions)[0]["kind"] == "sending_care"
            assert sam.call("chat:send", {"text": "thank you for listening"})["ok"] is True
            assert [m["text"] for m in wait_for(host.chat)] == ["thank you for listening"]
            assert sam.call("floor:release") == {"ok": True}

            assert sam.call("room:leave") == {"ok": True}
            host.sees(lambda s: all(seat["seat_id"] != sam_seat for seat in s["seats"]))
            assert host.call("room:end") == {"ok": True}
            assert wait_for(host.ended) == [{"session_id": session_id}]
        finally:
            for person in (host, sam):
                person.client.disconnect()


@pytest.mark.redis
def test_people_on_two_processes_share_queue_floor_and_chat(tmp_path):
    need_service(REDIS_URL, "Redis")
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    with (
        live_server(database, REDIS_URL=REDIS_URL) as first,
        live_server(database, REDIS_URL=REDIS_URL) as second,
    ):
        session_id, cookie, sam_token, ash_token = circle_in(database)
        host = Person(first.url, {"session_id": session_id}, cookie)
        sam = Person(first.url, {"token": sam_token})
        ash = Person(second.url, {"token": ash_token})
        try:
            assert host.call("room:open") == {"ok": True}
            assert sam.call("room:agree", {"display_name": "Sam", "mode": "speak"}) == {"ok": True}
            assert ash.call("room:agree", {"display_name": "Ash", "mode": "speak"}) == {"ok": True}
            sam_seat = sam.sees(lambda s: s["you"] is not None)["you"]["seat_id"]
            ash_seat = ash.sees(lambda s: s["you"] is not None)["you"]["seat_id"]
            assert host.call("lobby:admit_all")["ok"] is True

            assert sam.call("hand:raise") == {"ok": True, "position": 0}
            assert ash.call("hand:raise") == {"ok": True, "position": 1}
            for person in (host, sam, ash):
                person.sees(lambda s: s["hands"] == [sam_seat, ash_seat])

            assert host.call("floor:pass") == {"ok": True, "floor": sam_seat}
            for person in (host, sam, ash):
                person.sees(
                    lambda s: (s["floor"] or {}).get("seat_id") == sam_seat and s["hands"] == [ash_seat]
                )

            assert ash.call("chat:send", {"text": "thank you, Sam"})["ok"] is True
            assert [m["text"] for m in wait_for(sam.chat)] == ["thank you, Sam"]
            assert sam.chat[0]["seat_id"] == ash_seat
        finally:
            for person in (host, sam, ash):
                person.client.disconnect()
