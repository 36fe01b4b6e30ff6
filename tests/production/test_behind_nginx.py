"""Hearth as deployed: nginx (deploy/nginx/) in front of two gunicorn processes sharing PostgreSQL
and Redis. People of one room on different processes see one room, and the service comes
through a killed process, a Redis restart and a PostgreSQL outage by itself.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import requests
import socketio

from tests.production.conftest import Deployment
from tests.production.sources import SourceAddressAdapter, peer_from
from tests.realtime_e2e.helpers import Api, Peer, agree, cookie_header, seat_ids, signed_in

pytestmark = pytest.mark.slow

PASSWORD = "a long enough password"


@dataclass
class Room:
    """An open room whose two participants are served by different processes."""

    host: Peer
    ana: Peer
    ben: Peer
    ana_seat: str
    ben_seat: str
    ana_source: str
    ben_source: str


def seat(state: dict, seat_id: str) -> dict:
    return next(s for s in state["seats"] if s["seat_id"] == seat_id)


def eventually(check: Callable[[], bool], within: float, what: str) -> float:
    """Seconds until `check()` held, failing after `within`."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > within:
            raise AssertionError(f"{what} did not happen within {within} s")
        time.sleep(0.2)
    return time.monotonic() - started


@pytest.fixture
def room(deployment: Deployment) -> Iterator[Room]:
    api = Api(deployment.server, deployment.key)
    robin = api.facilitator("Robin", PASSWORD)
    group, session = api.group_open_now([robin["id"]])
    http = signed_in(deployment.server, robin["email"], PASSWORD)
    ana_source, ben_source = deployment.sources_on_each_process()
    peers: list[Peer] = []
    try:
        # The facilitator's browser-like client: long-polling first, then upgraded to a WebSocket.
        host = Peer(socketio.Client(ssl_verify=False, reconnection_delay=0.2, randomization_factor=0))
        peers.append(host)
        host.sio.connect(
            deployment.url,
            auth={"session_id": session["id"]},
            headers={"Cookie": cookie_header(http)},
            wait_timeout=10,
        )
        ana, ben = peer_from(ana_source, reconnect=True), peer_from(ben_source, reconnect=True)
        for peer in (ana, ben):
            peers.append(peer)
            peer.connect(deployment.url, {"token": api.join_token(group["id"]), "session_id": session["id"]})
        ana_seat, ben_seat = agree(ana, "Ana"), agree(ben, "Ben")
        # The facilitator is told of each new seat in the lobby, whichever process it waits on.
        host.joined(ana_seat, ben_seat)
        assert host.emit("room:open") == {"ok": True}
        assert set(host.emit("lobby:admit_all")["admitted"]) == {ana_seat, ben_seat}
        for peer in (ana, ben):
            peer.state(lambda s: s["you"]["where"] == "room")
        yield Room(host, ana, ben, ana_seat, ben_seat, ana_source, ben_source)
    finally:
        for peer in peers:
            peer.close()


def test_people_on_different_processes_share_one_room(deployment, room):
    host, ana, ben = room.host, room.ana, room.ben
    assert deployment.process_of(room.ana_source) is deployment.processes[0]
    assert deployment.process_of(room.ben_source) is deployment.processes[1]
    eventually(lambda: host.sio.transport() == "websocket", 10, "the upgrade to a WebSocket through nginx")

    # Presence: Ana on the first process sees Ben, on the second, in the room and connected.
    ana.wait_for(
        "room:state",
        lambda s: (
            room.ben_seat in seat_ids(s)
            and (seat(s, room.ben_seat)["where"], seat(s, room.ben_seat)["presence"]) == ("room", "connected")
        ),
        since=0,
    )

    # Queue and floor.
    assert ana.emit("hand:raise") == {"ok": True, "position": 0}
    ben.state(lambda s: s["hands"] == [room.ana_seat])
    assert ben.emit("hand:raise") == {"ok": True, "position": 1}
    ana.state(lambda s: s["hands"] == [room.ana_seat, room.ben_seat])
    assert host.emit("floor:pass") == {"ok": True, "floor": room.ana_seat}
    assert ben.state(lambda s: s["floor"] is not None)["floor"]["seat_id"] == room.ana_seat

    # Chat crosses processes both ways.
    sent = ben.emit("chat:send", {"text": "hello from the second process"})
    for peer in (ana, host):
        assert peer.wait_for("chat:message", lambda m: m["id"] == sent["id"])["seat_id"] == room.ben_seat
    sent = ana.emit("chat:send", {"text": "and back from the first"})
    assert ben.wait_for("chat:message", lambda m: m["id"] == sent["id"])["seat_id"] == room.ana_seat

    # Moderation by the facilitator reaches the other process.
    assert host.emit("seat:mute", {"seat_id": room.ben_seat, "muted": True}) == {"ok": True}
    assert ben.state(lambda s: s["you"]["muted"] is True)["you"]["seat_id"] == room.ben_seat
    assert host.emit("chat:delete", {"id": sent["id"]}) == {"ok": True}
    assert ben.wait_for("chat:deleted")["id"] == sent["id"]
    assert host.emit("seat:remove", {"seat_id": room.ben_seat}) == {"ok": True}
    assert ben.wait_for("room:removed")["reason"] == "removed"
    ana.state(lambda s: room.ben_seat not in seat_ids(s) or seat(s, room.ben_seat)["where"] != "room")


def test_a_redis_restart_mid_session_heals_by_itself(deployment, room):
    deployment.redis.stop()
    deployment.redis.start()
    # Both processes' room stores and message-queue listeners reconnect on their own.
    delivered: list[dict] = []

    def chat_crosses() -> bool:
        ack = room.ana.emit("chat:send", {"text": "are you still there?"})
        if not ack.get("ok"):
            return False
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            for name, data in room.ben.events:
                if name == "chat:message" and data["id"] == ack["id"]:
                    delivered.append(data)
                    return True
            time.sleep(0.1)
        return False

    healed = eventually(chat_crosses, 30, "chat between processes after the Redis restart")
    assert delivered
    deployment.measure("Redis restarted to chat crossing processes again", healed)
    # The room itself survived (Redis keeps its append-only file): the same seats, the same room.
    assert room.ben.emit("hand:raise") == {"ok": True, "position": 0}
    room.ana.state(lambda s: s["hands"] == [room.ben_seat])
    assert requests.get(f"{deployment.url}/readyz", timeout=10).status_code == 200


def test_the_api_says_503_while_postgresql_is_down_and_recovers(deployment):
    sources = deployment.sources_on_each_process()
    auth = {"Authorization": f"Bearer {deployment.key}"}

    def get(source: str, path: str) -> requests.Response:
        http = requests.Session()
        http.mount("https://", SourceAddressAdapter(source))
        return http.get(f"{deployment.url}{path}", headers=auth, timeout=15)

    deployment.postgres.stop()
    try:
        for source in sources:  # each process answers for itself
            down = get(source, "/api/v1/sessions")
            assert down.status_code == 503, down.text
            assert down.headers["Content-Type"] == "application/problem+json"
            assert down.headers["Retry-After"] == "5"
            assert down.json()["code"] == "database_unavailable"
            assert "Traceback" not in down.text and "psycopg2" not in down.text
            ready = get(source, "/readyz")
            assert ready.status_code == 503 and "database is unreachable" in ready.json()["detail"]
            assert get(source, "/healthz").status_code == 200
    finally:
        deployment.postgres.start()
    restarted = time.monotonic()
    for source in sources:
        eventually(lambda s=source: get(s, "/api/v1/sessions").status_code == 200, 20, "the API back")
        assert get(source, "/readyz").json()["status"] == "ready"
    deployment.measure("PostgreSQL started to the API answering on both", time.monotonic() - restarted)
    for process in deployment.processes:
        # No request failed unhandled (Flask logs "Exception on <path>" with a trace for those).
        assert "Exception on " not in process.output()


def test_clients_of_a_killed_process_come_back_through_nginx_to_their_seats(deployment, room):
    ben, ana = room.ben, room.ana
    second = deployment.processes[1]
    mark = ben.mark()
    second.crash()
    try:
        # Ben's client reconnects on its own; nginx sends it to the process still running.
        back = eventually(
            lambda: any(
                name == "room:state" and data["you"] and data["you"]["presence"] == "connected"
                for name, data in ben.events[mark:]
            ),
            20,
            "Ben back in the room",
        )
        state = ben.wait_for(
            "room:state", lambda s: s["you"] is not None and s["you"]["presence"] == "connected", since=mark
        )
        assert (state["you"]["seat_id"], state["you"]["where"]) == (room.ben_seat, "room")
        assert deployment.process_of(room.ben_source) is deployment.processes[0]
        ana.state(lambda s: seat(s, room.ben_seat)["presence"] == "connected")
        # And the room goes on for him there.
        assert ben.emit("hand:raise")["ok"] is True
        deployment.measure("process killed to its participant back in the same seat on the other", back)
    finally:
        second.start()


def _sign_in_from(deployment: Deployment, source: str, email: str, password: str, forged: str):
    """A sign-in from loopback address `source` that claims another address in X-Forwarded-For."""
    http = requests.Session()
    http.mount("https://", SourceAddressAdapter(source))
    http.headers["X-Forwarded-For"] = forged
    page = http.get(f"{deployment.url}/facilitator/sign-in", timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return http.post(
        f"{deployment.url}/facilitator/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )


def test_the_sign_in_throttle_sees_the_address_nginx_saw_not_one_a_client_claims(deployment):
    email = Api(deployment.server, deployment.key).facilitator("Sam", PASSWORD)["email"]
    # Two clients' own addresses (which processes serve them does not matter: they share Redis).
    attacker, facilitator = "127.0.0.41", "127.0.0.42"
    # Each try claims a new address; nginx replaces the header, so they count as one client.
    answers = [_sign_in_from(deployment, attacker, email, "a guess", f"192.0.2.{i}") for i in range(4)]
    assert [a.status_code for a in answers] == [401, 401, 401, 401]
    assert "Too many tries from this device. Wait" in answers[-1].text
    assert "Wait" not in answers[-2].text

    signed_in = _sign_in_from(deployment, facilitator, email, PASSWORD, "192.0.2.0")
    assert signed_in.status_code == 302, "the facilitator's own address is another client"
