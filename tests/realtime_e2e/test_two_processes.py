"""Two `hearth serve` processes sharing one PostgreSQL database and Redis serve one room.

People connected to different processes see the same queue and floor, and chat crosses over.
"""

from __future__ import annotations

import pytest
from conftest import REDIS_URL, need_service

from tests.live_server import live_server
from tests.realtime_e2e.helpers import Api, Peer, cookie_header, seat_ids, signed_in

pytestmark = pytest.mark.slow

PASSWORD = "a long enough password"
# Room keys are named by session id, which is fresh in every run; a database index of its
# own keeps them away from other users of this Redis. Nothing is flushed.
SHARED_REDIS = REDIS_URL.rsplit("/", 1)[0] + "/13"


def test_people_on_two_processes_share_queue_floor_and_chat(postgres_database):
    need_service(REDIS_URL, "Redis")
    with (
        live_server(postgres_database, REDIS_URL=SHARED_REDIS) as a,
        live_server(postgres_database, REDIS_URL=SHARED_REDIS) as b,
    ):
        api = Api(a)
        robin = api.facilitator("Robin", PASSWORD)
        group, session = api.group_open_now([robin["id"]])
        http = signed_in(a, robin["email"], PASSWORD)

        peers: list[Peer] = []
        try:
            host = Peer().connect(a.url, {"session_id": session["id"]}, {"Cookie": cookie_header(http)})
            peers.append(host)
            ana = Peer().connect(a.url, {"token": api.join_token(group["id"]), "session_id": session["id"]})
            peers.append(ana)
            ben = Peer().connect(b.url, {"token": api.join_token(group["id"]), "session_id": session["id"]})
            peers.append(ben)
            for peer, name in ((ana, "Ana"), (ben, "Ben")):
                assert peer.emit("room:agree", {"display_name": name, "mode": "speak"}) == {"ok": True}
            ana_seat = ana.state(lambda s: s["you"] is not None)["you"]["seat_id"]
            ben_seat = ben.state(lambda s: s["you"] is not None)["you"]["seat_id"]

            # The facilitator on A is told of Ben, who waits on B, in the lobby (and of Ana).
            host.joined(ana_seat, ben_seat)
            assert host.emit("room:open") == {"ok": True}
            ack = host.emit("lobby:admit_all")
            assert ack["ok"] is True and set(ack["admitted"]) == {ana_seat, ben_seat}
            ben.state(lambda s: s["you"]["where"] == "room" and ana_seat in seat_ids(s))

            # Ana raises her hand on A; Ben then raises his on B: both see one queue.
            assert ana.emit("hand:raise") == {"ok": True, "position": 0}
            ben.state(lambda s: s["hands"] == [ana_seat])
            assert ben.emit("hand:raise") == {"ok": True, "position": 1}
            assert ben.state(lambda s: s["hands"] == [ana_seat, ben_seat])["you"]["hand"] == 1
            ana.state(lambda s: s["hands"] == [ana_seat, ben_seat])

            # The facilitator on A passes the floor: Ben on B sees Ana holding it.
            assert host.emit("floor:pass") == {"ok": True, "floor": ana_seat}
            state = ben.state(lambda s: s["floor"] is not None)
            assert state["floor"]["seat_id"] == ana_seat
            assert state["hands"] == [ben_seat]
            assert state["you"]["hand"] == 0
            assert state["you"]["may_publish_audio"] is False  # someone else holds the floor

            # Chat sent on B arrives on A.
            ack = ben.emit("chat:send", {"text": "hello from B"})
            assert ack["ok"] is True
            for peer in (ana, host):
                message = peer.wait_for("chat:message", lambda m: m["id"] == ack["id"])
                assert message["seat_id"] == ben_seat and message["text"] == "hello from B"
        finally:
            for peer in peers:
                peer.close()
