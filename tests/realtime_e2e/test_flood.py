"""One client flooding a real server does not drown the others in its room."""

from __future__ import annotations

import statistics
import threading
import time

import pytest

from tests.live_server import live_server
from tests.realtime_e2e.helpers import Api, Peer, cookie_header, signed_in

pytestmark = pytest.mark.slow

PASSWORD = "a long enough password"
FLOOD = 400


def _round_trips(peer: Peer, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        assert peer.emit("resources:get")["ok"] is True
        times.append(time.perf_counter() - started)
    return times


def test_others_keep_their_pace_while_one_client_floods(tmp_path):
    with live_server(f"sqlite:///{tmp_path / 'flood.db'}") as server:
        api = Api(server)
        robin = api.facilitator("Robin", PASSWORD)
        group, session = api.group_open_now([robin["id"]])
        http = signed_in(server, robin["email"], PASSWORD)
        host = Peer().connect(server.url, {"session_id": session["id"]}, {"Cookie": cookie_header(http)})
        assert host.emit("room:open") == {"ok": True}
        peers = [host]
        try:
            for name in ("Sam", "Alex"):
                peer = Peer().connect(server.url, {"token": api.join_token(group["id"])})
                peers.append(peer)
                assert peer.emit("room:agree", {"display_name": name, "mode": "speak"}) == {"ok": True}
                seat = peer.state(lambda s: s["you"] is not None)["you"]["seat_id"]
                assert host.emit("lobby:admit", {"seat_id": seat}) == {"ok": True}
            _, sam, alex = peers
            calm = _round_trips(alex, 10)

            answers: list[dict] = []

            def flood() -> None:
                # As fast as the server answers: each next event leaves with the previous answer.
                for turn in range(FLOOD):
                    answers.append(sam.emit("hand:raise" if turn % 2 else "hand:lower"))

            before = alex.mark()
            flooder = threading.Thread(target=flood)
            flooder.start()
            busy = _round_trips(alex, 10)
            flooder.join()

            refused = [a for a in answers if not a["ok"] and a["error"]["code"] == "rate_limited"]
            assert len(answers) == FLOOD and len(refused) >= FLOOD - 2 * 30
            states = [name for name, _ in alex.events[before:] if name == "room:state"]
            # Only what the budget let through reached the others.
            assert len(states) <= 2 * 30 + 2
            assert statistics.median(busy) < max(0.5, 5 * statistics.median(calm)), (calm, busy)
        finally:
            for peer in peers:
                peer.close()
