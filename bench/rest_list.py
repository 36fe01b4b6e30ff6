"""The organization's session list under load: Hearth against a bare Flask endpoint, in one run.

    .venv/bin/python -m bench.rest_list [--duration 20] [--connections 16]

Hearth runs as deployed (gunicorn, eventlet, HEARTH_ENV=production) on its own PostgreSQL
database, seeded with more than 50 sessions, the API key's rate limit raised out of the way;
`GET /api/v1/sessions?limit=50` is asked by
`--connections` keep-alive connections (spread over two client processes) for `--duration`
seconds. The bare endpoint (bench/load/bare_rest.py) answers Hearth's own body for that
request under the same gunicorn worker. Prints requests per second, p50 and p99, errors, and
the worker's CPU (user + system) per answered request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp

from bench.fanout import ADMIN_URL, ORIGIN, machine, percentile, seed
from bench.load import servers

PATH = "/api/v1/sessions?limit=50"
CLIENT_PROCESSES = 2
# Generous, as BENCH_MAX_SOCKETS is: the run measures how fast the list answers, not where the
# key's rate limit refuses (600 a minute by default); the limiter still counts every call.
BENCH_RATE_LIMIT = "1000000/minute"


async def hammer(url: str, headers: dict[str, str], connections: int, until: float) -> dict[str, Any]:
    """Ask `url` over `connections` keep-alive connections until `until`; latencies and errors."""
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as http:

        async def one_connection() -> None:
            nonlocal errors
            while time.time() < until:
                started = time.perf_counter()
                try:
                    async with http.get(url) as response:
                        await response.read()
                        ok = response.status == 200
                except aiohttp.ClientError:
                    ok = False
                if ok:
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    errors += 1

        await asyncio.gather(*(one_connection() for _ in range(connections)))
    return {"latencies": latencies, "errors": errors}


def client_process(url: str, headers: dict[str, str], connections: int, until: float, out: Any) -> None:
    out.put(asyncio.run(hammer(url, headers, connections, until)))


def load(url: str, headers: dict[str, str], connections: int, duration: float) -> dict[str, Any]:
    """Several client processes at once; the request rate, latencies and errors of them all."""
    until = time.time() + duration
    results = multiprocessing.Queue()
    share = connections // CLIENT_PROCESSES
    workers = [
        multiprocessing.Process(target=client_process, args=(url, headers, share, until, results))
        for _ in range(CLIENT_PROCESSES)
    ]
    for worker in workers:
        worker.start()
    parts = [results.get(timeout=duration + 60) for _ in workers]
    for worker in workers:
        worker.join()
    latencies = [v for part in parts for v in part["latencies"]]
    return {
        "requests_per_s": len(latencies) / duration,
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "errors": sum(part["errors"] for part in parts),
    }


def measured(server: servers.Server, headers: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    """The load's figures, and the server worker's CPU per answered request (less bent by a busy machine)."""
    cpu_before = server.cpu_seconds()
    row = load(server.url + PATH, headers, args.connections, args.duration)
    answered = row["requests_per_s"] * args.duration
    row["cpu_ms"] = (server.cpu_seconds() - cpu_before) * 1000 / max(answered, 1)
    return row


def main(argv: list[str] | None = None) -> dict[str, dict[str, Any]]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    print(f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {machine()}", flush=True)
    rows = {}
    with (
        tempfile.TemporaryDirectory(prefix="hearth-rest-") as tmp,
        servers.database(ADMIN_URL, "hearth_bench_rest") as url,
    ):
        workdir = Path(tmp)
        env = {
            **servers.hearth_env(url, ORIGIN, servers.new_secret()),
            "HEARTH_API_RATE_LIMIT": BENCH_RATE_LIMIT,
        }
        seeded = seed(env, 5, workdir)
        headers = {"Authorization": f"Bearer {seeded['api_key']}"}
        with servers.servers("hearth", 1, env, workdir) as (hearth,):
            request = urllib.request.Request(hearth.url + PATH, headers=headers)
            with urllib.request.urlopen(request) as response:
                body = response.read()
            assert len(json.loads(body)["items"]) == 50, "the list should hold 50 sessions"
            rows["hearth"] = measured(hearth, headers, args)
        (workdir / "body.json").write_bytes(body)
        bare_env = {**env, "BENCH_BODY_FILE": str(workdir / "body.json")}
        with servers.servers("bare_rest", 1, bare_env, workdir) as (bare,):
            rows["bare"] = measured(bare, headers, args)
    print(f"\nGET {PATH} ({len(body)} bytes), {args.connections} connections, {args.duration:.0f} s each\n")
    print(
        "| server | requests/s | p50 ms | p99 ms | errors | CPU ms per request |\n|---|---|---|---|---|---|"
    )
    for name, row in rows.items():
        cells = (
            f"{row['requests_per_s']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['errors']}"
            f" | {row['cpu_ms']:.2f}"
        )
        print(f"| {name} | {cells} |")
    ratio = rows["hearth"]["requests_per_s"] / rows["bare"]["requests_per_s"]
    print(f"\nHearth / bare requests per second: {ratio:.2f}")
    print(f"finished {time.strftime('%H:%M', time.gmtime())} UTC, {machine()}")
    return rows


if __name__ == "__main__":
    main()
