"""Hearth as an organization runs it, on loopback: gunicorn processes started as documented,
Debian's nginx in front with the site file of deploy/, and private PostgreSQL and Redis
instances that a test may stop and restart (the machine's shared ones are never touched).

Every process here is started in a session of its own and stopped by its own id.
"""

from __future__ import annotations

import glob
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from flask_migrate import upgrade

from service import create_app
from service.config import Settings
from service.domain.organizations import create_organization
from service.extensions import db
from tests.live_server import ROOT, free_port, hearth_env, wait_until_up

GUNICORN = [
    str(Path(sys.executable).parent / "gunicorn"),
    "-c",
    "deploy/gunicorn.conf.py",
    "service.wsgi:app",
]
NGINX_SITE = ROOT / "deploy" / "nginx" / "hearth.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NAME_UPSTREAM = "\n        add_header X-Upstream $upstream_addr;"
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def production_env(database_url: str, base_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production process, as deploy/hearth.env.example describes it."""
    env = hearth_env(database_url)
    env.update(
        HEARTH_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        HEARTH_BASE_URL=base_url,
        # Tests stop processes that still hold sockets: no need to wait long for them.
        HEARTH_GRACEFUL_TIMEOUT="2",
        **extra,
    )
    return env


def stop_group(process: subprocess.Popen | None, sig: int = signal.SIGTERM, wait: float = 15) -> None:
    """Signal the process group this test started, then make sure it is gone."""
    if process is None:
        return
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=wait)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=5)


@dataclass
class Gunicorn:
    """One `gunicorn -c deploy/gunicorn.conf.py service.wsgi:app` process (master and worker)."""

    port: int
    env: dict[str, str]
    log: object
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def launch(self) -> Gunicorn:
        """Start the process without waiting for it (several start side by side)."""
        self.process = subprocess.Popen(
            GUNICORN,
            env={**self.env, "HEARTH_BIND": f"127.0.0.1:{self.port}"},
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_up(self) -> Gunicorn:
        wait_until_up(self.url, self.process, self.log)
        return self

    def start(self) -> Gunicorn:
        return self.launch().wait_up()

    def crash(self) -> None:
        """Kill master and worker at once, as a machine or process failure would."""
        stop_group(self.process, signal.SIGKILL, wait=5)

    def stop(self) -> None:
        stop_group(self.process)

    def output(self) -> str:
        return read_log(self.log)


def read_log(log) -> str:
    """All a process wrote to its log file so far."""
    log.seek(0)
    return log.read()


@contextmanager
def gunicorns(env: dict[str, str], ports: list[int]) -> Iterator[list[Gunicorn]]:
    """Processes started side by side on `ports`, stopped afterwards (HEARTH_BASE_URL may name one)."""
    with ExitStack() as stack:
        servers = [
            Gunicorn(port=port, env=env, log=stack.enter_context(tempfile.TemporaryFile(mode="w+")))
            for port in ports
        ]
        for server in servers:
            stack.callback(server.stop)
            server.launch()
        yield [server.wait_up() for server in servers]


def prepared_database(database_url: str) -> str:
    """Migrate the database (as `hearth db upgrade` does) and make an organization; its API key.

    Done in this process: the CLI would take seconds to start for each step.
    """
    app = create_app(Settings.from_environ(), SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade()
        key = create_organization("Riverside Peer Support", default_region="US").secret
        db.session.remove()
        db.engine.dispose()
    return key


def boot_failure(env: dict[str, str]) -> tuple[int, str]:
    """Start gunicorn as documented and expect it to give up: its exit code and output."""
    done = subprocess.run(
        GUNICORN,
        env={**env, "HEARTH_BIND": f"127.0.0.1:{free_port()}"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stdout + done.stderr


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster of this test's own in a temporary directory, on a free loopback port."""

    data: Path
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _pg(self, tool: str, *args: str) -> None:
        binary = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))[-1]
        subprocess.run([*AS_POSTGRES, binary, *args], check=True, capture_output=True, timeout=60)

    def create(self) -> PrivatePostgres:
        self.data.mkdir(mode=0o700)
        if AS_POSTGRES:
            shutil.chown(self.data, "postgres", "postgres")
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        return self.start()

    def start(self) -> PrivatePostgres:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.data / "log"), "-w", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    parent = Path(tempfile.mkdtemp(prefix="hearth-pg-"))
    os.chmod(parent, 0o755)  # the postgres user reaches its data directory inside
    cluster = PrivatePostgres(data=parent / "data")
    try:
        yield cluster.create()
    finally:
        with suppress(subprocess.CalledProcessError):  # already stopped
            cluster.stop("immediate")
        shutil.rmtree(parent, ignore_errors=True)


@dataclass
class PrivateRedis:
    """A redis-server of this test's own; its append-only file keeps room state across a restart."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "yes", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_for_port(self.port)
        return self

    def stop(self) -> None:
        stop_group(self.process)


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    with tempfile.TemporaryDirectory(prefix="hearth-redis-") as directory:
        server = PrivateRedis(directory=Path(directory))
        try:
            yield server.start()
        finally:
            server.stop()


def _wait_for_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (and its key) that clients of the test trust explicitly."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def nginx_site(directory: Path, upstreams: list[int], https_port: int, http_port: int) -> Path:
    """deploy/nginx/ on loopback ports in `directory`, naming which process answered each request."""
    cert, key = self_signed_certificate(directory)
    upstream = (NGINX_SITE.parent / "hearth-upstream.conf").read_text()
    for documented, port in zip(("127.0.0.1:8001", "127.0.0.1:8002"), upstreams, strict=True):
        upstream = upstream.replace(documented, f"127.0.0.1:{port}")
    (directory / "hearth-upstream.conf").write_text(upstream)
    site = NGINX_SITE.read_text()
    for pattern, replacement in [
        (r"/etc/nginx/hearth-upstream\.conf", f"{directory}/hearth-upstream.conf"),
        (r"listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"\n\s*listen \[::\]:\d+[^;]*;", ""),
        (r"/etc/letsencrypt/live/[^/]+/fullchain\.pem", str(cert)),
        (r"/etc/letsencrypt/live/[^/]+/privkey\.pem", str(key)),
        (r"/srv/hearth/web/static/", f"{ROOT}/web/static/"),
        (r"/var/log/nginx/", f"{directory}/"),
        # Only in the test: which process answered (the upstream's address).
        (
            r"location /socket\.io/ \{",
            "location /socket.io/ {\n        add_header X-Upstream $upstream_addr;",
        ),
        (r"location / \{", "location / {\n        add_header X-Upstream $upstream_addr;"),
    ]:
        site, count = re.subn(pattern, replacement, site)
        assert count, f"deploy/nginx/hearth.conf no longer has {pattern!r}"
    (directory / "hearth.conf").write_text(site)
    return directory / "hearth.conf"


@contextmanager
def nginx(upstreams: list[int], directory: Path, https_port: int) -> Iterator[None]:
    """nginx in the foreground on `https_port` in front of `upstreams`, stopped afterwards."""
    site = nginx_site(directory, upstreams, https_port, free_port())
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / temp).mkdir()
    temps = "".join(f"    {t}_temp_path {directory}/{t};\n" for t in ("fastcgi", "uwsgi", "scgi"))
    (directory / "nginx.conf").write_text(
        f"""daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
user {"root" if os.geteuid() == 0 else os.environ.get("USER", "nobody")};
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
{temps}    include {site};
}}
"""
    )
    with open(directory / "stdout.log", "w+") as log:
        process = subprocess.Popen(
            [NGINX, "-c", str(directory / "nginx.conf"), "-p", str(directory)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_for_port(https_port)
            yield
        finally:
            stop_group(process, signal.SIGQUIT)
