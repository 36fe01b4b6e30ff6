"""What seating people costs the server, measured in-process: connect, `room:agree`, `lobby:admit_all`.

    .venv/bin/python -m bench.seating [--rooms 1,8] [--runs 5] [--database-url URL]

Builds the app (threading mode, the in-memory room store; SQLite in a temporary directory
unless `--database-url` names an empty database) and, for each run and each number of rooms,
seeds that many circles as `bench.load.seed` does, opens each with its facilitator, then seats
each room as a join storm: its eight participants connect and agree one after the other, and
the facilitator admits them all at once, through Flask-SocketIO's test clients (the real
handlers, actions, commits and emits, without the network; the test clients' own encoding and
decoding of every packet is counted too). It prints the CPU (`time.process_time`) of seating
everyone, the SQL statements per arrival (without SAVEPOINTs, `BEGIN` and `COMMIT`), and the
events and JSON bytes the storm's connections received, by event.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from bench.in_process import in_process_app, join_storm, opened_room
from service.extensions import db


@dataclass
class Statements:
    """The SQL statements run in each phase of seating, and the phase under way."""

    phase: str = "connect"
    counted: Counter = field(default_factory=Counter)

    def enter(self, phase: str) -> None:
        self.phase = phase


def received(clients: list) -> tuple[Counter, Counter]:
    """The events the clients got since last asked, and their JSON bytes, by event name."""
    events, sizes = Counter(), Counter()
    for client in clients:
        for event in client.get_received():
            events[event["name"]] += 1
            sizes[event["name"]] += len(json.dumps(event["args"], separators=(",", ":")))
    return events, sizes


def one_run(app, organization_id, rooms: int) -> dict:
    """Seat `rooms` rooms of eight: CPU seconds, statements per arrival by phase, events and bytes."""
    opened = [opened_room(app, organization_id, number) for number in range(rooms)]
    statements = Statements()

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT")):
            statements.counted[statements.phase] += 1

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    events, sizes, clients = Counter(), Counter(), []
    try:
        spent = 0.0
        for host, tokens in opened:
            started = time.process_time()
            people = join_storm(app, host, tokens, statements.enter)
            spent += time.process_time() - started
            got, bytes_ = received([host, *people])
            events.update(got)
            sizes.update(bytes_)
            clients += [host, *people]
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    for client in clients:
        client.disconnect()
    arrivals = sum(len(tokens) for _, tokens in opened)
    return {
        "cpu_s": spent,
        "arrivals": arrivals,
        "statements": {
            phase: statements.counted[phase] / arrivals for phase in ("connect", "agree", "admit")
        },
        "events": {name: count / rooms for name, count in events.items()},
        "bytes": {name: size / rooms for name, size in sizes.items()},
    }


def report(rooms: int, runs: list[dict]) -> None:
    """Print the CPU of each run and the last run's statements, events and bytes."""
    cpu = [run["cpu_s"] * 1000 for run in runs]
    last, median = runs[-1], statistics.median(cpu)
    print(f"{rooms} room(s) of 8, {last['arrivals']} arrivals, {len(runs)} runs")
    print(f"  CPU ms of seating everyone: {', '.join(f'{ms:.1f}' for ms in cpu)} (median {median:.1f})")
    print(f"  CPU ms per arrival (median): {median / last['arrivals']:.2f}")
    print("  statements per arrival: " + ", ".join(f"{k} {v:.2f}" for k, v in last["statements"].items()))
    for name in sorted(last["events"]):
        print(f"  per room storm: {name}: {last['events'][name]:.0f} events, {last['bytes'][name]:.0f} bytes")
    events, sizes = sum(last["events"].values()), sum(last["bytes"].values())
    print(f"  per room storm, all events: {events:.0f} events, {sizes:.0f} bytes")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rooms", default="1,8", help="comma-separated numbers of rooms of eight to seat")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", help="an empty database (default: SQLite in a temporary directory)")
    args = parser.parse_args(argv)
    with in_process_app(args.database_url, "hearth-seating-") as (app, organization_id):
        one_run(app, organization_id, 1)  # warm-up: imports, first queries, the mappers' caches
        for rooms in (int(number) for number in args.rooms.split(",")):
            report(rooms, [one_run(app, organization_id, rooms) for _ in range(args.runs)])


if __name__ == "__main__":
    main()
