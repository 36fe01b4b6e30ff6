"""Sequences of room events, chosen by Hypothesis, through the real Socket.IO handlers.

A facilitator and four participants connect, agree, are admitted, raise and lower hands, take,
pass and yield the floor, are muted, change how they take part, step away, are removed or
barred, leave, drop and come back, write in the chat, and the room may end. After every step
the room must keep its rules, as each connection was told them and in the store itself.

Bounded for CI (20 examples of at most 30 steps, on each store); HEARTH_MACHINE_EXAMPLES=500
searches longer.
"""

from __future__ import annotations

import itertools
import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from service.domain.modes import MODE_NAMES, mode
from tests.api.helpers import make_group
from tests.realtime.conftest import Circle, add_facilitator, add_registration, add_session
from tests.realtime.test_signalling import _description


def description(audio: bool, video: bool) -> dict:
    """An offer sending audio and video, or only receiving them."""
    return _description("offer", "sendrecv" if audio else "recvonly", "sendrecv" if video else "recvonly")


PEOPLE = 4
person = st.integers(0, PEOPLE - 1)
modes = st.sampled_from(MODE_NAMES)
BOUNDS = settings(
    max_examples=int(os.environ.get("HEARTH_MACHINE_EXAMPLES", "20")),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@dataclass
class Person:
    """One participant as the test knows them: their join link, connection and seat."""

    token: str
    client: object = None
    seat_id: str | None = None
    # Removed or barred: never in the room again, in this session.
    gone: bool = False
    states: list[dict] = field(default_factory=list)


class Errors(logging.Handler):
    """Every error logged while the machine runs: a handler that failed says so here."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


hosting = precondition(lambda self: self.host.is_connected())


def machine_for(app, org, store):
    """The state machine class over one new circle per example, in `app`'s test transaction."""

    examples = itertools.count()

    class RoomMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            group = make_group(org.id, lobby_opens_minutes=10)
            session = add_session(group, timedelta(minutes=5))
            # Facilitators' e-mails are unique within the organization, which every example shares.
            host = add_facilitator(group, name=f"Robin{next(examples)}")
            self.circle = Circle(app=app, group=group, session=session, facilitator=host)
            self.session_id = str(session.id)
            self.people = [Person(token=add_registration(group)[1]) for _ in range(PEOPLE)]
            self.host = self.circle.host()
            self.ended = False
            self.acks: list[tuple[str, dict]] = []
            self.last_states: dict[int, dict] = {}
            self.send(self.host, "room:open")

        # Sending, and what came back.

        def send(self, client, event: str, payload=None) -> dict:
            args = () if payload is None else (payload,)
            ack = client.emit(event, *args, callback=True)
            self.acks.append((event, ack))
            return ack

        def connected(self, i: int) -> bool:
            client = self.people[i].client
            return client is not None and client.is_connected()

        def seated(self, i: int) -> bool:
            return self.connected(i) and self.people[i].seat_id is not None

        def seat_of(self, i: int) -> str:
            return self.people[i].seat_id or f"p-unknown-{i}"

        # Most examples begin with everyone seated, so that their steps reach the room itself.

        @initialize(ways=st.lists(st.none() | modes, min_size=PEOPLE, max_size=PEOPLE), admit=st.booleans())
        def arrive(self, ways, admit):
            for i, how in enumerate(ways):
                if how is not None:
                    self.come(i)
                    self.agree_as(i, how)
            if admit:
                self.admit_all()

        # Participants: each rule picks among the people it can apply to.

        def here(self) -> list[int]:
            return [i for i in range(PEOPLE) if self.connected(i)]

        def away(self) -> list[int]:
            return [i for i in range(PEOPLE) if not self.connected(i)]

        def pick(self, data, among: list[int]) -> int:
            return data.draw(st.sampled_from(among), label="person")

        @precondition(lambda self: self.away())
        @rule(data=st.data())
        def connect(self, data):
            self.come(self.pick(data, self.away()))

        def come(self, i: int) -> None:
            one = self.people[i]
            one.client = self.circle.join(one.token)
            if one.gone:
                assert not one.client.is_connected(), "a removed or barred person got back in"
            if not one.client.is_connected():
                # Gone, or refused for reconnecting too often in a minute.
                return
            state = self.latest(one.client)
            one.seat_id = state["you"]["seat_id"] if state and state["you"] else None

        @precondition(lambda self: self.here())
        @rule(data=st.data(), how=modes)
        def agree(self, data, how):
            self.agree_as(self.pick(data, self.here()), how)

        def agree_as(self, i: int, how: str) -> None:
            client = self.people[i].client
            ack = self.send(client, "room:agree", {"display_name": f"Person {i}", "mode": how})
            if ack["ok"]:
                self.people[i].seat_id = self.latest(client)["you"]["seat_id"]

        @precondition(lambda self: self.here())
        @rule(
            data=st.data(),
            event=st.sampled_from(
                [
                    "hand:raise",
                    "hand:lower",
                    "floor:release",
                    "round:pass",
                    "presence:away",
                    "presence:back",
                    "rtc:config",
                ]
            ),
        )
        def participant_acts(self, data, event):
            self.send(self.people[self.pick(data, self.here())].client, event)

        @precondition(lambda self: self.here())
        @rule(data=st.data(), how=modes)
        def set_mode(self, data, how):
            self.send(self.people[self.pick(data, self.here())].client, "mode:set", {"mode": how})

        @precondition(lambda self: self.here())
        @rule(data=st.data())
        def leave(self, data):
            i = self.pick(data, self.here())
            if self.send(self.people[i].client, "room:leave")["ok"]:
                # The page goes on to the goodbye; its connection closes.
                self.people[i].seat_id = None
                self.people[i].client.disconnect()

        @precondition(lambda self: self.here())
        @rule(data=st.data(), for_good=st.booleans())
        def drop(self, data, for_good):
            """A dropped connection; `for_good`: its grace runs out at once, so the seat expires."""
            app.config["HEARTH_RECONNECT_GRACE_SECONDS"] = 0 if for_good else 180
            self.people[self.pick(data, self.here())].client.disconnect()

        @precondition(lambda self: self.here())
        @rule(data=st.data(), text=st.sampled_from(["I hear you.", "Thank you for sharing.", "  me too  "]))
        def chat(self, data, text):
            self.send(self.people[self.pick(data, self.here())].client, "chat:send", {"text": text})

        @precondition(lambda self: self.here())
        @rule(data=st.data(), audio=st.booleans(), video=st.booleans())
        def offer(self, data, audio, video):
            """An offer to another seat sends only what the sender's way of taking part allows."""
            i = self.pick(data, self.here())
            me, others = self.people[i], [p for p in self.people if p.seat_id and p is not self.people[i]]
            if me.seat_id is None or not others:
                return
            to = data.draw(st.sampled_from(others), label="to").seat_id
            ack = self.send(
                me.client, "rtc:signal", {"to": to, "kind": "offer", "data": description(audio, video)}
            )
            room = store.snapshot(self.session_id)
            mine = room["seats"].get(me.seat_id)
            if ack["ok"]:
                wanted = {kind for kind, on in (("audio", audio), ("video", video)) if on}
                assert mine is not None and wanted <= mode(mine["mode"]).sends, "media beyond the mode passed"

        # The facilitator (whose connection may be refused after too many reconnections in a minute).

        @hosting
        @rule(i=person)
        def admit(self, i):
            self.send(self.host, "lobby:admit", {"seat_id": self.seat_of(i)})

        @hosting
        @rule()
        def admit_all(self):
            self.send(self.host, "lobby:admit_all")

        @hosting
        @rule(i=st.none() | person)
        def pass_floor(self, i):
            self.send(self.host, "floor:pass", {"to": None if i is None else self.seat_of(i)})

        @hosting
        @rule(i=person)
        def lower_hand(self, i):
            self.send(self.host, "hand:lower", {"seat_id": self.seat_of(i)})

        @hosting
        @rule()
        def lower_all(self):
            self.send(self.host, "hand:lower_all")

        @hosting
        @rule(i=person, muted=st.booleans())
        def mute(self, i, muted):
            self.send(self.host, "seat:mute", {"seat_id": self.seat_of(i), "muted": muted})

        @hosting
        @rule(muted=st.booleans())
        def mute_all(self, muted):
            self.send(self.host, "seat:mute_all", {"muted": muted})

        @hosting
        @rule(floor_mode=st.sampled_from(["facilitated", "round_robin"]))
        def floor_mode(self, floor_mode):
            self.send(self.host, "floor:mode", {"mode": floor_mode})

        @hosting
        @rule(
            event=st.sampled_from(["round:start", "round:skip", "round:stop", "queue:order"]),
            kind=st.sampled_from(["check_in", "check_out"]),
            order=st.sampled_from(["raised", "least_spoken"]),
        )
        def steer_round(self, event, kind, order):
            payload = {"round:start": {"kind": kind}, "queue:order": {"order": order}}.get(event)
            self.send(self.host, event, payload)

        @hosting
        @rule(i=person, bar=st.booleans())
        def take_out(self, i, bar):
            seat_id = self.people[i].seat_id
            if seat_id is None:
                return
            ack = self.send(self.host, "seat:bar" if bar else "seat:remove", {"seat_id": seat_id})
            if ack["ok"]:
                self.people[i].gone = True
                assert not self.connected(i), "a removed person is still connected"

        @hosting
        @rule(how=modes)
        def host_sets_mode(self, how):
            self.send(self.host, "mode:set", {"mode": how})

        @hosting
        @rule()
        def host_drops_and_returns(self):
            self.host.disconnect()
            self.host = self.circle.host()

        @precondition(lambda self: self.host.is_connected() and not self.ended and len(self.acks) > 20)
        @rule()
        def end(self):
            ack = self.send(self.host, "room:end")
            self.ended = ack["ok"]

        # What must hold after every step.

        def latest(self, client) -> dict | None:
            """The last room state `client` was sent (its inbox is read by the invariants)."""
            states = [e["args"][0] for e in client.queue if e["name"] == "room:state"]
            return states[-1] if states else self.last_states.get(id(client))

        @invariant()
        def nothing_failed_inside(self):
            internal = [(e, ack) for e, ack in self.acks if ack.get("error", {}).get("code") == "internal"]
            assert not internal, internal

        @invariant()
        def the_store_keeps_the_rules(self):
            room = store.snapshot(self.session_id)
            assert room is not None
            seats = room["seats"]
            gone = {p.seat_id for p in self.people if p.gone}
            assert not gone & set(seats), "a removed or barred seat is still in the room"
            assert len(room["hands"]) == len(set(room["hands"])), room["hands"]
            assert set(room["hands"]) <= set(seats)
            assert all(mode(seats[s]["mode"]).may_raise_hand for s in room["hands"])
            holder = room["floor"]
            if holder is not None:
                assert holder in seats and seats[holder]["where"] == "room"
                assert mode(seats[holder]["mode"]).may_hold_floor, "a listen-only seat holds the floor"
            # A round's turn is someone still in the room, and nobody else holds the floor meanwhile.
            if room["round_turn"] is not None:
                assert room["round_kind"] is not None and room["round_turn"] in seats
                assert holder in (None, room["round_turn"]), "the floor jumped the round"
            else:
                assert room["round_left"] == [], "a round with people to come has no turn"

        @invariant()
        def every_connection_is_told_the_rules(self):
            gone = {p.seat_id for p in self.people if p.gone}
            for client in self.clients():
                if not client.is_connected():
                    continue
                for event in client.get_received():
                    if event["name"] == "room:state":
                        self.check_state(event["args"][0], gone)
                        self.last_states[id(client)] = event["args"][0]

        def check_state(self, state: dict, gone: set) -> None:
            seats = state["seats"] + ([state["you"]] if state["you"] else [])
            assert not gone & {s["seat_id"] for s in seats}, "a removed or barred seat is shown"
            holders = {s["seat_id"] for s in seats if s["has_floor"]}
            assert len(holders) <= 1, holders
            hands = [s["hand"] for s in state["seats"] if s["hand"] is not None]
            assert len(hands) == len(set(hands)), "two seats at one place in the queue"
            assert len(state["hands"]) == len(set(state["hands"]))
            for seat in seats:
                if seat["has_floor"]:
                    assert seat["may_hold_floor"], "a listen-only seat holds the floor"
                if seat["muted"]:
                    assert not (seat["may_publish_audio"] or seat["may_publish_video"]), "muted, publishing"
                if not seat["sends"]:
                    assert not (seat["may_publish_audio"] or seat["may_publish_video"])
                    assert not seat["may_hold_floor"] and seat["hand"] is None

        def clients(self) -> list:
            return [self.host, *(p.client for p in self.people if p.client is not None)]

        def teardown(self):
            for client in self.clients():
                if client.is_connected():
                    client.disconnect()

    return RoomMachine


@pytest.mark.both_stores
def test_no_sequence_of_room_events_breaks_the_room(app, org, room_store):
    errors = Errors()
    logging.getLogger().addHandler(errors)
    try:
        run_state_machine_as_test(machine_for(app, org, room_store), settings=BOUNDS)
    finally:
        logging.getLogger().removeHandler(errors)
    assert not errors.records, [record.getMessage() for record in errors.records]
