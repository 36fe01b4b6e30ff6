"""The servers under test: Hearth as deployed and the bare baseline, each under the same gunicorn worker.

Both run `gunicorn -c bench/load/gunicorn_bench.py` (deploy/gunicorn.conf.py plus a record of GC
pauses): Hearth as `service.wsgi:app` with HEARTH_ENV=production, the bare server as
`bench.load.bare_server:app`. Every process is started in a session of its own and stopped by its id.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import redis
import sqlalchemy

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
APPS = {
    "hearth": "service.wsgi:app",
    "bare": "bench.load.bare_server:app",
    "bare_rest": "bench.load.bare_rest:app",
}
TICKS = os.sysconf("SC_CLK_TCK")
# Generous: the benchmark measures how many sockets fit, not where the cap refuses.
BENCH_MAX_SOCKETS = 4000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database(admin_url: str, name: str) -> Iterator[str]:
    """A fresh PostgreSQL database of this name, dropped afterwards; its URL."""
    # Hearth reads postgresql:// as psycopg2 too (service/config.py).
    driver_url = admin_url.replace("postgresql://", "postgresql+psycopg2://", 1)
    engine = sqlalchemy.create_engine(driver_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def hearth_env(database_url: str, base_url: str, secret_key: str) -> dict[str, str]:
    """Hearth's production environment, as deploy/hearth.env.example describes it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "HEARTH_", "REDIS_"))}
    env.update(
        HEARTH_ENV="production",
        SECRET_KEY=secret_key,
        HEARTH_BASE_URL=base_url,
        DATABASE_URL=database_url,
        HEARTH_MAX_SOCKETS=str(BENCH_MAX_SOCKETS),
        HEARTH_GRACEFUL_TIMEOUT="2",
        PYTHONPATH=str(ROOT),
    )
    return env


def new_secret() -> str:
    return secrets.token_urlsafe(48)


def flush_redis(redis_url: str | None) -> None:
    """Start each run on an empty Redis database (room state, rate counts, the queue's channels)."""
    if redis_url:
        redis.Redis.from_url(redis_url).flushdb()


@dataclass
class Server:
    """One gunicorn process (master and its single worker) of Hearth or the bare server."""

    kind: str
    port: int
    env: dict[str, str]
    gc_log: Path
    process: subprocess.Popen | None = None
    # Closed with the process object; the servers' output is read back when a run fails.
    log: object = field(default_factory=lambda: tempfile.TemporaryFile(mode="w+"))  # noqa: SIM115

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def launch(self) -> Server:
        env = {**self.env, "HEARTH_BIND": f"127.0.0.1:{self.port}", "BENCH_GC_LOG": str(self.gc_log)}
        self.process = subprocess.Popen(
            [GUNICORN, "-c", "bench/load/gunicorn_bench.py", APPS[self.kind]],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_up(self, timeout: float = 120) -> Server:
        probe = "/socket.io/?EIO=4&transport=polling" if self.kind == "bare" else "/healthz"
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url + probe, timeout=2):
                    return self
            except (OSError, urllib.error.URLError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{self.kind} did not start:\n{self.output()}") from None
                time.sleep(0.3)

    def worker_pid(self) -> int:
        """The worker's pid: gunicorn's master forks exactly one."""
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return int(children[0])

    def cpu_seconds(self) -> float:
        """User and system CPU the worker has used so far."""
        fields = Path(f"/proc/{self.worker_pid()}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def rss_kib(self) -> int:
        """The worker's resident memory."""
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def gc_pauses(self, start: float, end: float) -> list[tuple[int, float, float]]:
        """(generation, milliseconds, CPU milliseconds) of the collections of at least 1 ms
        between `start` and `end`."""
        if not self.gc_log.exists():
            return []
        pauses = []
        for line in self.gc_log.read_text().splitlines():
            at, generation, took, cpu, _ = line.split()
            if start <= float(at) <= end:
                pauses.append((int(generation), float(took), float(cpu)))
        return pauses

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()


@contextmanager
def servers(kind: str, count: int, env: dict[str, str], workdir: Path) -> Iterator[list[Server]]:
    """`count` processes of `kind` started side by side, stopped afterwards."""
    with ExitStack() as stack:
        started = []
        logs = Path(os.environ.get("BENCH_GC_DIR", workdir))
        for number in range(count):
            gc_log = logs / f"gc-{kind}-{number}-{time.time_ns()}.log"
            server = Server(kind, free_port(), env, gc_log)
            stack.callback(server.stop)
            started.append(server.launch())
        yield [server.wait_up() for server in started]
