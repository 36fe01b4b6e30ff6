"""One chat message's CPU in the server, measured in-process: `chat:send` through the real handler.

    .venv/bin/python -m bench.chat_send [--messages N] [--profile PATH] [--database-url URL]

Builds the app (threading mode, the in-memory room store; SQLite in a temporary directory
unless `--database-url` names an empty database), seeds one circle as `bench.load.seed` does,
opens it with its facilitator, seats eight participants (listen-only) and then lets them write
N messages in turn through Flask-SocketIO's test clients: the same event handling, payload
check, action, commit and emit to the room's nine connections as a real server, without the
network. It prints the CPU (`time.process_time`) per message, with and without the
risk-language model's read, and with `--profile` writes a cProfile of the messages.
The room store's clock is moved on between rounds, so the chat budget never refuses.
"""

from __future__ import annotations

import argparse
import cProfile
import time
from pathlib import Path
from unittest import mock

from bench.in_process import in_process_app, join_storm, opened_room
from bench.load.clients import PHRASES, stamped
from bench.load.seed import SEATS_PER_ROOM
from service.domain import risk
from service.live.runtime import room_store

WARM_UP = 50


class Clock:
    """The room store's clock, moved on by hand."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def seated_room(app, organization_id) -> list:
    """A room's facilitator and eight participants, all in the open room: their test clients."""
    host, tokens = opened_room(app, organization_id, 0)
    people = join_storm(app, host, tokens)
    assert len(people) == SEATS_PER_ROOM
    return [host, *people]


def send(clients: list, messages: int, clock: Clock) -> float:
    """CPU seconds for `messages` chat messages, the participants writing in turn."""
    people = clients[1:]
    spent = 0.0
    for number in range(messages):
        if number % len(people) == 0:
            clock.now += 10.0
            for client in clients:
                client.get_received()
        text = stamped(PHRASES[number % len(PHRASES)], time.time())
        started = time.process_time()
        answer = people[number % len(people)].emit("chat:send", {"text": text}, callback=True)
        spent += time.process_time() - started
        assert answer["ok"], answer
    return spent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--profile", type=Path, help="write a cProfile (pstats) of the messages here")
    parser.add_argument("--database-url", help="an empty database (default: SQLite in a temporary directory)")
    args = parser.parse_args(argv)
    with in_process_app(args.database_url, "hearth-chat-") as (app, organization_id):
        clients = seated_room(app, organization_id)
        clock = Clock()
        with app.app_context():
            room_store().clock = clock
        risk.loaded_model()
        send(clients, WARM_UP, clock)
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        if profiler:
            profiler.enable()
        whole = send(clients, args.messages, clock)
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(args.profile))
        with mock.patch.object(risk, "model_categories", return_value=set()):
            unread = send(clients, args.messages, clock)
        for client in clients:
            client.disconnect()
    print(f"{args.messages} messages, CPU per message: {whole / args.messages * 1000:.3f} ms")
    print(f"without the model's read: {unread / args.messages * 1000:.3f} ms")


if __name__ == "__main__":
    main()
