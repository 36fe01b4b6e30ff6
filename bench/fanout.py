"""Live-room load: Hearth as deployed against a bare python-socketio server, in one run.

    .venv/bin/python -m bench.fanout [--sizes 250,500,1000,2000] [--redis-sizes 1700]

Each scenario starts its servers afresh (gunicorn, eventlet, one worker per process; Hearth with
HEARTH_ENV=production on its own PostgreSQL database, migrated and seeded with rooms of eight and
a facilitator), connects every room's facilitator, then every participant at once (websocket
transport, from several client processes), and lets each participant write a chat message every
10 s. It prints, per scenario, the send-to-receive fan-out, deliveries per second, the server's
CPU per message sent and its memory per connection (from /proc), how long connecting and getting
everyone seated took, how long an eight-person join storm took to settle, and the longest
garbage-collection pause in the server (gc.callbacks); then Hearth's ratios to the bare server.

With BENCH_PROFILE=<path> each server worker is profiled (cProfile) and writes <path>.<pid> at
the end of the chat phase. With BENCH_GC_DIR=<directory> the servers' logs of their garbage
collections (`bench/load/gunicorn_bench.py`) are kept there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.load import servers
from bench.load.seed import SEATS_PER_ROOM

ORIGIN = "http://127.0.0.1"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PHASE_TIMEOUT = 240.0


@dataclass(frozen=True)
class Scenario:
    kind: str
    participants: int
    processes: int = 1

    @property
    def name(self) -> str:
        where = f"{self.processes} proc + Redis" if self.processes > 1 else "1 proc"
        return f"{self.kind} {where}"


def rooms_for(participants: int) -> int:
    """Rooms of eight for at least this many people."""
    return -(-participants // SEATS_PER_ROOM)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Clients:
    """The client processes of one scenario, driven phase by phase."""

    def __init__(self, plans: list[dict[str, Any]], workdir: Path) -> None:
        self.results = [workdir / f"result-{n}-{time.time_ns()}.json" for n in range(len(plans))]
        self.processes = []
        for plan, result in zip(plans, self.results, strict=True):
            plan_file = result.with_suffix(".plan")
            plan_file.write_text(json.dumps(plan))
            self.processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bench.load.clients", str(plan_file), str(result)],
                    cwd=servers.ROOT,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    start_new_session=True,
                )
            )

    def order(self, line: str) -> list[str]:
        """Tell every client process; wait for each one's answer."""
        for process in self.processes:
            process.stdin.write(line + "\n")
            process.stdin.flush()
        answers = []
        deadline = time.monotonic() + PHASE_TIMEOUT
        for process in self.processes:
            answer = process.stdout.readline().strip()
            if not answer or time.monotonic() > deadline:
                raise RuntimeError(f"a client process gave up during {line.split()[0]!r}")
            answers.append(answer)
        return answers

    def tallies(self) -> list[dict[str, Any]]:
        for process in self.processes:
            process.wait(timeout=60)
        return [json.loads(path.read_text()) for path in self.results]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def plans(scenario: Scenario, seeded: dict[str, Any], urls: list[str], clients: int, interval: float) -> list:
    rooms = seeded["rooms"][: rooms_for(scenario.participants)]
    storms = seeded["rooms"][-clients:]
    return [
        {
            "kind": scenario.kind,
            "urls": urls,
            "origin": ORIGIN,
            "rooms": rooms[n::clients],
            "storm_room": storms[n],
            "interval": interval,
        }
        for n in range(clients)
    ]


def cpu_seconds_at(running: list[servers.Server], moment: float) -> float:
    """The CPU the servers' workers have used, read at wall time `moment`."""
    time.sleep(max(0.0, moment - time.time()))
    return sum(server.cpu_seconds() for server in running)


def run_scenario(
    scenario: Scenario, seeded: dict[str, Any], env: dict[str, str], args: argparse.Namespace, workdir: Path
) -> dict[str, Any]:
    redis_url = REDIS_URL if scenario.processes > 1 else None
    servers.flush_redis(redis_url)
    server_env = dict(env)
    if scenario.kind == "hearth" and redis_url:
        server_env["REDIS_URL"] = redis_url
    if scenario.kind == "bare" and redis_url:
        server_env["BENCH_REDIS_URL"] = redis_url
    with servers.servers(scenario.kind, scenario.processes, server_env, workdir) as running:
        time.sleep(1.0)
        rss_before = sum(s.rss_kib() for s in running)
        clients = Clients(
            plans(scenario, seeded, [s.url for s in running], args.clients, args.interval), workdir
        )
        try:
            clients.order("facilitators")
            start = time.time() + 0.5
            seated = clients.order(f"participants {start:.3f}")
            rss_after = sum(s.rss_kib() for s in running)
            chat_from = time.time() + 1.0
            chat_until = chat_from + args.duration
            storm_at = chat_from + args.duration / 2
            for process in clients.processes:
                process.stdin.write(f"chat {chat_from:.3f} {chat_until:.3f} {storm_at:.3f}\n")
                process.stdin.flush()
            cpu_before = cpu_seconds_at(running, chat_from)
            cpu_after = cpu_seconds_at(running, chat_until)
            done = [process.stdout.readline().strip() for process in clients.processes]
            tallies = clients.tallies()
        finally:
            clients.stop()
        pauses = [p for s in running for p in s.gc_pauses(chat_from, chat_until)]
        if os.environ.get("BENCH_PROFILE"):
            for server in running:
                os.kill(server.worker_pid(), signal.SIGUSR2)
            time.sleep(3)
        if args.server_log:
            with args.server_log.open("a") as log:
                log.writelines(f"--- {scenario.name} {server.port}\n{server.output()}" for server in running)
    return summarise(
        scenario, tallies, seated + done, rss_before, rss_after, cpu_after - cpu_before, pauses, args
    )


def summarise(
    scenario: Scenario,
    tallies: list[dict[str, Any]],
    answers: list[str],
    rss_before: int,
    rss_after: int,
    cpu: float,
    pauses: list[tuple[int, float, float]],
    args: argparse.Namespace,
) -> dict[str, Any]:
    latencies = [v for t in tallies for v in t["latencies_ms"]]
    sent = sum(t["sent"] for t in tallies)
    rooms = rooms_for(scenario.participants)
    connections = scenario.participants + rooms + args.clients
    started = min(v for t in tallies for v in t["connect_started"])
    connected = [v for t in tallies for v in t["connected"]]
    seated = [v for t in tallies for v in t["seated"]]
    storms = [t["storm_settle_s"] for t in tallies]
    return {
        "scenario": scenario.name,
        "kind": scenario.kind,
        "processes": scenario.processes,
        "participants": rooms * SEATS_PER_ROOM,
        "connections": connections,
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies, default=float("nan")),
        "delivered_per_s": len(latencies) / args.duration,
        "sent": sent,
        "cpu_ms_per_msg": cpu * 1000 / sent if sent else float("nan"),
        "cpu_share": cpu / args.duration,
        "rss_kib_per_conn": (rss_after - rss_before) / connections,
        "connect_s": max(connected) - started if connected else float("nan"),
        "seating_s": max(seated) - started if len(seated) == rooms * SEATS_PER_ROOM else float("nan"),
        "seated": len(seated),
        "storm_s": max(storms) if all(s is not None for s in storms) else float("nan"),
        "gc_max_ms": max((took for _, took, _ in pauses), default=0.0),
        "gc_over_50": sum(1 for _, took, _ in pauses if took > 50),
        "gc_full": sum(1 for generation, _, _ in pauses if generation == 2),
        # Which collections were long, for the JSON only: (generation, milliseconds, CPU milliseconds).
        "gc_long": sorted(
            ((generation, round(took, 1), round(cpu, 1)) for generation, took, cpu in pauses if took > 10),
            key=lambda p: -p[1],
        ),
        "errors": sum(t["send_errors"] for t in tallies)
        + sum(1 for a in answers if a not in ("seated", "done")),
        "refused": sum(len(t["refused"]) for t in tallies),
        "refusals": sorted({reason for t in tallies for reason in t["refused"]})[:5],
    }


COLUMNS = (
    ("scenario", "server", "{}"),
    ("participants", "people", "{}"),
    ("p50_ms", "p50 ms", "{:.1f}"),
    ("p95_ms", "p95 ms", "{:.1f}"),
    ("p99_ms", "p99 ms", "{:.1f}"),
    ("delivered_per_s", "delivered/s", "{:.0f}"),
    ("cpu_ms_per_msg", "CPU ms/msg", "{:.2f}"),
    ("cpu_share", "CPU share", "{:.0%}"),
    ("rss_kib_per_conn", "RSS KiB/conn", "{:.0f}"),
    ("connect_s", "connect s", "{:.2f}"),
    ("seating_s", "seated s", "{:.2f}"),
    ("storm_s", "storm s", "{:.3f}"),
    ("gc_max_ms", "max GC ms", "{:.0f}"),
    ("errors", "errors", "{}"),
    ("refused", "refused", "{}"),
)


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(title for _, title, _ in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(fmt.format(row[key]) for key, _, fmt in COLUMNS) + " |" for row in rows]
    return "\n".join(lines)


def ratios(rows: list[dict[str, Any]]) -> str:
    """Hearth over bare, per size and arrangement, from this run."""
    bare = {(r["participants"], r["processes"]): r for r in rows if r["kind"] == "bare"}
    lines = [
        "| arrangement | people | p99 ratio | CPU/msg ratio | RSS/conn ratio | seating ratio |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        base = bare.get((row["participants"], row["processes"]))
        if row["kind"] != "hearth" or base is None:
            continue
        values = [
            row[k] / base[k] if base[k] else float("nan")
            for k in ("p99_ms", "cpu_ms_per_msg", "rss_kib_per_conn", "seating_s")
        ]
        arrangement = "2 proc + Redis" if row["processes"] > 1 else "1 proc"
        lines.append(
            f"| {arrangement} | {row['participants']} | " + " | ".join(f"{v:.2f}x" for v in values) + " |"
        )
    return "\n".join(lines)


def machine() -> str:
    load = os.getloadavg()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )


def seed(env: dict[str, str], rooms: int, workdir: Path) -> dict[str, Any]:
    out = workdir / "seeded.json"
    subprocess.run(
        [sys.executable, "-m", "bench.load.seed", str(rooms), str(out)], env=env, cwd=servers.ROOT, check=True
    )
    return json.loads(out.read_text())


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="250,500,1000,2000", help="participants, one process each")
    parser.add_argument("--redis-sizes", default="1700", help="participants over two processes on Redis")
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of chat measured")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between one person's messages")
    parser.add_argument("--admin-url", default=ADMIN_URL, help="PostgreSQL server to create the database on")
    parser.add_argument("--database", default="hearth_bench", help="name of the database made for the run")
    parser.add_argument("--server-log", type=Path, help="append the servers' output here")
    parser.add_argument("--json", type=Path, help="also write the rows here, after each scenario")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    redis_sizes = [int(s) for s in args.redis_sizes.split(",") if s]
    scenarios = [Scenario(kind, n) for n in sizes for kind in ("hearth", "bare")]
    scenarios += [Scenario(kind, n, 2) for n in redis_sizes for kind in ("hearth", "bare")]
    began = datetime.now(UTC)
    print(f"{began:%Y-%m-%d %H:%M} UTC, {machine()}", flush=True)
    rows = []
    with (
        tempfile.TemporaryDirectory(prefix="hearth-bench-") as tmp,
        servers.database(args.admin_url, args.database) as url,
    ):
        workdir = Path(tmp)
        env = servers.hearth_env(url, ORIGIN, servers.new_secret())
        largest = rooms_for(max(sizes + redis_sizes))
        seeded = seed(env, largest + args.clients, workdir)
        for scenario in scenarios:
            row = run_scenario(scenario, seeded, env, args, workdir)
            rows.append(row)
            if args.json:
                args.json.write_text(json.dumps({"began": began.isoformat(), "rows": rows}, indent=1))
            print(table([row]).splitlines()[-1], *row["refusals"], sep="\n", flush=True)
    print()
    print(table(rows))
    print()
    print(ratios(rows))
    print(f"\nfinished {datetime.now(UTC):%H:%M} UTC, {machine()}")
    return rows


if __name__ == "__main__":
    main()
