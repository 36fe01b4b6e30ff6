"""Run `hearth` as a real server process for tests that must cross a real socket."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HEARTH = [sys.executable, "-m", "service"]
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hearth_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.update(HEARTH_ENV="development", DATABASE_URL=database_url, PYTHONPATH=str(ROOT), **extra)
    return env


def run_hearth(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run one `hearth` CLI command to completion."""
    return subprocess.run(
        [*HEARTH, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]

    def create_org(self, name: str = "Fuzz Org") -> dict:
        return json.loads(run_hearth(["create-org", name, "--json"], self.env).stdout)


@contextmanager
def live_server(database_url: str, migrate: bool = True, **extra_env: str) -> Iterator[LiveServer]:
    """A migrated database (unless it already is) and `hearth serve` on a free port, stopped afterwards."""
    port = free_port()
    env = hearth_env(database_url, HEARTH_BASE_URL=f"http://127.0.0.1:{port}", **extra_env)
    if migrate:
        run_hearth(["db", "upgrade"], env)
    # The server's log goes to a file: an unread pipe would fill up and block the server.
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [*HEARTH, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url, process, log)
            yield LiveServer(url=url, env=env)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until_up(url: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"server did not start: {log.read()}") from None
            time.sleep(0.2)
