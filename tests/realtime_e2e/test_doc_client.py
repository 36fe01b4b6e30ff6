"""A client written only from docs/realtime.md takes part in a whole session on a real server.

It imports nothing from `service`: only requests, python-socketio and the standard library
(through tests/realtime_e2e/helpers.py and tests/live_server.py, which do the same).
"""

from __future__ import annotations

import pytest

from tests.live_server import live_server
from tests.realtime_e2e.helpers import Api, Peer, cookie_header, seat_ids, signed_in

pytestmark = pytest.mark.slow

PASSWORD = "a long enough password"


def test_a_participant_goes_through_a_whole_session(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'doc.db'}"
    with live_server(database_url) as server:
        api = Api(server)
        robin = api.facilitator("Robin", PASSWORD)
        group, session = api.group_open_now([robin["id"]])
        token = api.join_token(group["id"])
        http = signed_in(server, robin["email"], PASSWORD)

        peers: list[Peer] = []
        try:
            # The facilitator connects with the session cookie: seated at once, mode speak.
            host = Peer().connect(server.url, {"session_id": session["id"]}, {"Cookie": cookie_header(http)})
            peers.append(host)
            state = host.state()
            assert state["session_id"] == session["id"]
            assert state["phase"] == "lobby"
            me = state["you"]
            assert me["role"] == "facilitator" and me["mode"] == "speak"
            assert me["seat_id"].startswith("f-")
            host_seat = me["seat_id"]

            # The participant connects with the join token (group-wide link: the open session).
            sam = Peer().connect(server.url, {"token": token})
            peers.append(sam)
            state = sam.state()
            assert state["session_id"] == session["id"]
            assert state["you"] is None
            assert seat_ids(state) == [host_seat]  # only the facilitators' seats
            assert state["hands"] == [] and state["floor"] is None

            # Events before agreeing are refused. The doc does not say which code wins when
            # several apply (no seat, and the room is not open yet): accept either.
            refused = sam.emit("hand:raise")
            assert refused["ok"] is False
            assert refused["error"]["code"] in ("no_such_seat", "room_not_open")
            assert sam.emit("presence:away")["error"]["code"] == "no_such_seat"

            # Agree: seated in the lobby with that name and mode.
            assert sam.emit("room:agree", {"display_name": "  Sam  ", "mode": "camera_off"}) == {"ok": True}
            state = sam.state(lambda s: s["you"] is not None)
            you = state["you"]
            assert you["seat_id"].startswith("p-")
            assert you["display_name"] == "Sam"
            assert you["role"] == "participant" and you["mode"] == "camera_off"
            assert you["where"] == "lobby" and you["hand"] is None and not you["has_floor"]
            assert you["may_publish_audio"] is False
            assert sorted(seat_ids(state)) == sorted([host_seat, you["seat_id"]])
            sam_seat = you["seat_id"]
            assert sam.emit("room:agree", {"display_name": "Sam", "mode": "speak"})["error"]["code"] == (
                "seat_exists"
            )

            # The facilitator is told of the new seat in the lobby, not sent the whole room again.
            (waiting,) = host.joined(sam_seat)
            assert waiting["where"] == "lobby"

            # A participant in the lobby may not chat or react; before opening, nobody raises hands.
            assert sam.emit("chat:send", {"text": "hi"})["error"]["code"] in ("forbidden", "room_not_open")
            assert host.emit("lobby:admit", {"seat_id": sam_seat})["error"]["code"] == "room_not_open"
            # A participant may not open the room.
            assert sam.emit("room:open")["error"]["code"] == "forbidden"

            # Open the room: phase open, session live.
            assert host.emit("room:open") == {"ok": True}
            host.state(lambda s: s["phase"] == "open")
            assert api.get(f"/sessions/{session['id']}")["status"] == "live"

            # Admit Sam.
            assert host.emit("lobby:admit", {"seat_id": sam_seat}) == {"ok": True}
            state = sam.state(lambda s: s["you"] and s["you"]["where"] == "room")
            assert state["phase"] == "open"
            assert sorted(seat_ids(state)) == sorted([host_seat, sam_seat])
            # camera_off: audio yes (nobody holds the floor), video no.
            assert state["you"]["may_publish_audio"] is True
            assert state["you"]["may_publish_video"] is False

            # Raise a hand: position 0, and everyone's state shows the queue.
            assert sam.emit("hand:raise") == {"ok": True, "position": 0}
            assert sam.emit("hand:raise") == {"ok": True, "position": 0}  # keeps the place
            state = host.state(lambda s: s["hands"] == [sam_seat])
            assert next(s for s in state["seats"] if s["seat_id"] == sam_seat)["hand"] == 0
            sam.state(lambda s: s["you"] and s["you"]["hand"] == 0 and s["hands"] == [sam_seat])

            # The facilitator passes the floor to the first raised hand.
            assert host.emit("floor:pass") == {"ok": True, "floor": sam_seat}
            state = sam.state(lambda s: s["floor"] is not None)
            assert state["floor"]["seat_id"] == sam_seat
            assert state["floor"]["response"] == "welcome_responses"
            assert state["hands"] == []  # whoever takes the floor leaves the queue
            assert state["you"]["has_floor"] is True and state["you"]["hand"] is None
            assert state["you"]["may_publish_audio"] is True
            host_view = host.state(lambda s: s["floor"] is not None)
            assert host_view["floor"]["seat_id"] == sam_seat

            # The floor holder sets a response preference.
            assert sam.emit("floor:response", {"preference": "just_listening"}) == {"ok": True}
            sam.state(lambda s: s["floor"] and s["floor"]["response"] == "just_listening")

            # React: every seat in the room receives it.
            assert sam.emit("reaction:send", {"kind": "thank_you"}) == {"ok": True}
            assert host.wait_for("reaction") == {"seat_id": sam_seat, "kind": "thank_you"}
            assert sam.emit("reaction:send", {"kind": "applause"})["error"]["code"] == "invalid"

            # Chat: acknowledged with an id, delivered to the room as plain text.
            ack = sam.emit("chat:send", {"text": "  thank you all <b>  "})
            assert ack["ok"] is True and isinstance(ack["id"], str)
            message = host.wait_for("chat:message", lambda m: m["id"] == ack["id"])
            assert message["seat_id"] == sam_seat
            assert message["display_name"] == "Sam"
            assert message["text"] == "thank you all <b>"
            assert isinstance(message["sent_at"], str)
            sam.wait_for("chat:message", lambda m: m["id"] == ack["id"])
            bad = sam.emit("chat:send", {"text": "hi", "extra": 1})
            assert bad["ok"] is False and bad["error"]["code"] == "invalid"

            # Pass: the floor is released.
            assert sam.emit("floor:release") == {"ok": True}
            host.state(lambda s: s["floor"] is None)

            # Leave quietly: the facilitator simply gets a state without the seat.
            mark = host.mark()
            assert sam.emit("room:leave") == {"ok": True}
            assert sam.emit("hand:raise")["error"]["code"] == "not_connected"
            state = host.wait_for("room:state", lambda s: sam_seat not in seat_ids(s), since=mark)
            assert seat_ids(state) == [host_seat]
            assert not any(name in ("reaction", "chat:message") for name, _ in host.events[mark:])

            # The facilitator ends the session.
            assert host.emit("room:end") == {"ok": True}
            assert host.wait_for("room:ended") == {"session_id": session["id"]}
            assert api.get(f"/sessions/{session['id']}")["status"] == "ended"
        finally:
            for peer in peers:
                peer.close()
