"""One deployment for the tests of this folder that need it: private PostgreSQL and Redis, two
gunicorn processes started as documented, and nginx with deploy/nginx/ in front, all on loopback.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from conftest import REQUIRE_SERVICES

from tests.live_server import ROOT, LiveServer, free_port
from tests.production.servers import (
    NGINX,
    Gunicorn,
    PrivatePostgres,
    PrivateRedis,
    gunicorns,
    nginx,
    prepared_database,
    private_postgres,
    private_redis,
    production_env,
)
from tests.production.sources import SourceAddressAdapter

# What the fault tests measured on this machine (docs/deploy.md quotes a run of it).
MEASURED = ROOT / "artifacts" / "deploy-recovery.txt"


@dataclass
class Deployment:
    """What the tests drive: the public URL, the processes behind it and what they share."""

    url: str
    key: str
    processes: list[Gunicorn]
    postgres: PrivatePostgres
    redis: PrivateRedis
    measured: list[str] = field(default_factory=list)

    def measure(self, what: str, seconds: float) -> None:
        self.measured.append(f"{what}: {seconds:.1f} s")

    @property
    def server(self) -> LiveServer:
        """The deployment as the end-to-end helpers see a server."""
        return LiveServer(url=self.url, env=self.processes[0].env)

    def process_of(self, source: str) -> Gunicorn:
        """The process nginx routes a client at loopback address `source` to."""
        http = requests.Session()
        http.mount("https://", SourceAddressAdapter(source))
        answered = http.get(f"{self.url}/healthz", timeout=10).headers["X-Upstream"]
        return next(p for p in self.processes if answered.endswith(f":{p.port}"))

    def sources_on_each_process(self) -> list[str]:
        """One loopback client address per process, each routed to a different one."""
        found: dict[int, str] = {}
        for last in range(2, 60):
            source = f"127.0.0.{last}"
            found.setdefault(self.process_of(source).port, source)
            if len(found) == len(self.processes):
                return [found[p.port] for p in self.processes]
        raise AssertionError("nginx sent every loopback client address to the same process")


def _missing_tools() -> list[str]:
    tools = {"nginx": NGINX, "openssl": "openssl", "redis-server": "redis-server"}
    missing = [name for name, path in tools.items() if not shutil.which(path)]
    return missing + ([] if any(Path("/usr/lib/postgresql").glob("*/bin/initdb")) else ["initdb"])


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    missing = _missing_tools()
    if missing:
        message = f"needs {', '.join(missing)} (apt-get install nginx redis-server postgresql)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    with ExitStack() as stack:
        postgres = stack.enter_context(private_postgres())
        redis_server = stack.enter_context(private_redis())
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hearth-nginx-")))
        https_port, ports = free_port(), [free_port(), free_port()]
        url = f"https://127.0.0.1:{https_port}"
        env = production_env(postgres.url, url, REDIS_URL=redis_server.url)
        key = prepared_database(postgres.url)
        processes = stack.enter_context(gunicorns(env, ports))
        stack.enter_context(nginx(ports, directory, https_port))
        # The test's clients (requests, and python-socketio through it) trust nginx's certificate.
        previous = os.environ.get("REQUESTS_CA_BUNDLE")
        os.environ["REQUESTS_CA_BUNDLE"] = str(directory / "cert.pem")
        stack.callback(_restore_env, "REQUESTS_CA_BUNDLE", previous)
        deployment = Deployment(url=url, key=key, processes=processes, postgres=postgres, redis=redis_server)
        yield deployment
        MEASURED.parent.mkdir(parents=True, exist_ok=True)
        MEASURED.write_text("".join(f"{line}\n" for line in deployment.measured))


def _restore_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
