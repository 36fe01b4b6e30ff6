"""One client process of the load: its share of the rooms' people, connected, seated and chatting.

`python -m bench.load.clients PLAN RESULT` reads its plan (JSON), then follows the driver's
orders on stdin, one line each, and answers each phase on stdout when it is done:

    facilitators            -> connects each room's facilitator (Hearth: signed-in cookie,
                               then `room:open`); answers "facilitators"
    participants T          -> at wall time T every participant connects with their join
                               token and agrees at once; facilitators admit whoever waits;
                               answers "seated" once everyone is in their room
    chat FROM UNTIL STORM   -> each participant writes every `interval` seconds between FROM
                               and UNTIL; at STORM eight more people join the storm room at
                               once; answers "done" after writing RESULT

A chat message carries its send time, so each receiver measures the fan-out itself
(all processes share the machine's clock).
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import socketio

PHRASES = (
    "thank you for sharing that",
    "I hear you, that sounds really hard",
    "same here this week",
    "sending care to everyone tonight",
    "it helps to know I am not the only one",
    "I went for a short walk today and it helped a bit",
)
# The send time goes in each text as microseconds written in letters, base 26: after digits, the
# risk model read these ordinary phrases as risk in 21% (third build), 28% (fourth) and 29%
# (fifth) of the texts, so the load measured the alert path for that share of it; in letters, 0.3%.
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
SEATED_TIMEOUT = 60.0
STORM_SIZE = 8
CALL_TIMEOUT = 20.0
CONNECT_TIMEOUT = 20.0


def stamped(phrase: str, at: float) -> str:
    """`phrase` with the time `at` after a "~", in letters."""
    number, letters = int(at * 1_000_000), ""
    while number:
        number, digit = divmod(number, len(_LETTERS))
        letters = _LETTERS[digit] + letters
    return f"{phrase} ~{letters}"


def sent_at(text: str) -> float:
    """The time a `stamped` text carries."""
    number = 0
    for letter in text.rsplit("~", 1)[1]:
        number = number * len(_LETTERS) + _LETTERS.index(letter)
    return number / 1_000_000


@dataclass
class Tally:
    """What this process saw."""

    latencies_ms: list[float] = field(default_factory=list)
    received: int = 0
    sent: int = 0
    send_errors: int = 0
    connect_started: list[float] = field(default_factory=list)
    connected: list[float] = field(default_factory=list)
    seated: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    storm_settle_s: float | None = None


class Person:
    """One connection: a facilitator or a participant of one room."""

    def __init__(self, plan: dict[str, Any], room: dict[str, Any], url: str, token: str | None, tally: Tally):
        self.plan, self.room, self.url, self.token, self.tally = plan, room, url, token, tally
        self.client = socketio.AsyncClient(reconnection=False, http_session=plan["http"])
        self.state: dict[str, Any] | None = None
        self.state_changed = asyncio.Event()
        self.seated_at: float | None = None
        self.most_in_room = 0
        self.client.on("room:state", self.on_state)
        self.client.on("seat:joined", self.on_seat_joined)
        self.client.on("chat:message", self.on_chat)

    @property
    def hearth(self) -> bool:
        return self.plan["kind"] == "hearth"

    async def on_state(self, state: dict[str, Any]) -> None:
        self.state = state
        # States from two processes may cross on the way: the fullest room seen so far counts.
        self.most_in_room = max(self.most_in_room, self.in_room())
        if self.seated_at is None and self.sees_self_seated(state):
            self.seated_at = time.time()
        self.state_changed.set()

    async def on_seat_joined(self, joined: dict[str, Any]) -> None:
        """A facilitator is told of each new seat in the lobby, as the browser adds it to its state."""
        seats = (self.state or {}).get("seats")
        if seats is not None and all(seat["seat_id"] != joined["seat"]["seat_id"] for seat in seats):
            self.state = {**self.state, "seats": [*seats, joined["seat"]]}
            self.state_changed.set()

    def sees_self_seated(self, state: dict[str, Any]) -> bool:
        if self.hearth:
            return (state.get("you") or {}).get("where") == "room"
        # The bare server's seat ids are the connections' own.
        return any(seat["seat_id"] == self.client.get_sid() for seat in state["seats"])

    async def on_chat(self, message: dict[str, Any]) -> None:
        sent = sent_at(message["text"])
        now = time.time()
        if self.plan["window"][0] <= sent <= self.plan["window"][1]:
            self.tally.received += 1
            self.tally.latencies_ms.append((now - sent) * 1000)

    async def connect(self) -> bool:
        headers = {"Origin": self.plan["origin"]}
        if self.token is not None:
            auth = {"token": self.token, "session_id": self.room["session_id"]}
        elif self.hearth:
            auth = {"session_id": self.room["session_id"]}
            headers["Cookie"] = self.room["cookie"]
        else:
            auth = {}
        if not self.hearth:
            auth = {"room": self.room["session_id"]}
        try:
            # As patient as the browser client (socket.io-client waits 20 s), not python-socketio's 1 s.
            await self.client.connect(
                self.url, headers=headers, auth=auth, transports=["websocket"], wait_timeout=CONNECT_TIMEOUT
            )
        except socketio.exceptions.ConnectionError as exc:
            self.tally.refused.append(str(exc)[:200])
            return False
        return True

    async def call(self, event: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """The event's acknowledgement; a refusal of its own when none came in time."""
        try:
            return await self.client.call(event, data or {}, timeout=CALL_TIMEOUT)
        except (TimeoutError, socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
            return {"ok": False, "error": {"code": "no_answer"}}

    def in_room(self) -> int:
        """How many seats this connection sees in the room."""
        seats = (self.state or {}).get("seats", [])
        return sum(1 for seat in seats if seat.get("where") == "room")


class Facilitator(Person):
    """Opens the room and lets everyone in as they arrive."""

    async def open(self) -> bool:
        if not await self.connect():
            return False
        if self.hearth:
            await self.call("room:open")
            asyncio.get_running_loop().create_task(self.admit_arrivals())
        else:
            await self.call("room:agree", {"display_name": "Facilitator"})
        return True

    async def admit_arrivals(self) -> None:
        while self.client.connected:
            await self.state_changed.wait()
            self.state_changed.clear()
            seats = (self.state or {}).get("seats", [])
            if any(seat["where"] == "lobby" for seat in seats):
                await self.call("lobby:admit_all")


class Participant(Person):
    """Agrees, waits to be admitted, then writes now and then."""

    number = 0

    async def join(self) -> bool:
        self.tally.connect_started.append(time.time())
        if not await self.connect():
            return False
        self.tally.connected.append(time.time())
        Participant.number += 1
        answer = await self.call(
            "room:agree", {"display_name": f"Friend {Participant.number}", "mode": "listen_only"}
        )
        if not answer.get("ok"):
            self.tally.refused.append(f"agree: {answer}")
            return False
        return True

    async def wait_seated(self, deadline: float) -> bool:
        while self.seated_at is None and time.time() < deadline:
            self.state_changed.clear()
            try:
                await asyncio.wait_for(self.state_changed.wait(), deadline - time.time())
            except TimeoutError:
                break
        return self.seated_at is not None

    async def chat(self, start: float, until: float, interval: float) -> None:
        at = start + random.uniform(0, interval)
        while at < until:
            await asyncio.sleep(max(0.0, at - time.time()))
            text = stamped(random.choice(PHRASES), time.time())
            answer = await self.call("chat:send", {"text": text})
            if answer.get("ok"):
                self.tally.sent += 1
            else:
                self.tally.send_errors += 1
            at += interval


def url_of(plan: dict[str, Any], index: int) -> str:
    """Spread each room's connections over the servers, as nginx's address hash would."""
    urls = plan["urls"]
    return urls[index % len(urls)]


async def storm(plan: dict[str, Any], facilitator: Facilitator, tally: Tally, at: float) -> list[Participant]:
    """Eight people join one room at once; how long until all nine see all of them seated."""
    room = facilitator.room
    people = [
        Participant(plan, room, url_of(plan, i + 1), token, Tally()) for i, token in enumerate(room["tokens"])
    ]
    await asyncio.sleep(max(0.0, at - time.time()))
    started = time.time()
    joined = await asyncio.gather(*(person.join() for person in people))
    everyone = [facilitator, *people]
    deadline = started + SEATED_TIMEOUT

    def settled() -> bool:
        return all(joined) and all(p.most_in_room == STORM_SIZE + 1 for p in everyone)

    while time.time() < deadline and not settled():
        await asyncio.sleep(0.005)
    if settled():
        tally.storm_settle_s = time.time() - started
    return people


async def orders() -> list[str]:
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    return line.split()


def answer(word: str) -> None:
    print(word, flush=True)


async def run(plan: dict[str, Any], result_path: Path) -> None:
    tally = Tally()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        plan["http"] = http
        plan["window"] = (0.0, 0.0)
        await orders()
        facilitators = [Facilitator(plan, room, url_of(plan, 0), None, tally) for room in plan["rooms"]]
        storm_host = (
            Facilitator(plan, plan["storm_room"], url_of(plan, 0), None, tally)
            if plan["storm_room"]
            else None
        )
        hosts = [*facilitators, *([storm_host] if storm_host else [])]
        opened = await asyncio.gather(*(host.open() for host in hosts))
        answer("facilitators" if all(opened) else "refused")

        _, start = await orders()
        people = [
            Participant(plan, room, url_of(plan, i + 1), token, tally)
            for room in plan["rooms"]
            for i, token in enumerate(room["tokens"])
        ]
        await asyncio.sleep(max(0.0, float(start) - time.time()))
        joined = await asyncio.gather(*(person.join() for person in people))
        deadline = time.time() + SEATED_TIMEOUT
        seated = await asyncio.gather(
            *(p.wait_seated(deadline) for p, ok in zip(people, joined, strict=True) if ok)
        )
        tally.seated = [p.seated_at for p in people if p.seated_at is not None]
        answer("seated" if all(joined) and all(seated) else "unseated")

        _, chat_from, chat_until, storm_at = await orders()
        plan["window"] = (float(chat_from), float(chat_until))
        tasks = [p.chat(float(chat_from), float(chat_until), plan["interval"]) for p in people if p.seated_at]
        if storm_host is not None:
            tasks.append(storm(plan, storm_host, tally, float(storm_at)))
        done = await asyncio.gather(*tasks)
        stormed = done[-1] if storm_host is not None else []
        # The last messages are still on their way.
        await asyncio.sleep(2.0)
        for person in [*hosts, *people, *stormed]:
            await person.client.disconnect()
    result_path.write_text(json.dumps(tally.__dict__))
    answer("done")


if __name__ == "__main__":
    asyncio.run(run(json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2])))
