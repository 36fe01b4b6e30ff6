"""The production entry point, started exactly as documented, on each worker HEARTH_WORKER offers."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import tempfile

import pytest
import requests
import socketio

from service.config import Settings
from tests.live_server import HEARTH, ROOT, LiveServer, free_port, hearth_env, run_hearth, wait_until_up
from tests.production.servers import (
    boot_failure,
    gunicorns,
    prepared_database,
    production_env,
    read_log,
    stop_group,
)
from tests.realtime_e2e.helpers import Api, Peer

PASSWORD = "a long enough password"


@pytest.mark.slow
@pytest.mark.parametrize("worker", ["eventlet", "gevent"])
def test_gunicorn_serves_pages_api_and_rooms_and_refuses_sockets_past_the_cap(tmp_path, worker):
    port = free_port()
    env = production_env(
        f"sqlite:///{tmp_path / 'hearth.db'}",
        f"http://127.0.0.1:{port}",
        HEARTH_WORKER=worker,
        HEARTH_MAX_SOCKETS="2",
        HEARTH_WEBHOOK_PRIVATE_ADDRESSES="true",
    )
    key = prepared_database(env["DATABASE_URL"])
    with gunicorns(env, [port]) as (server,):
        assert f"Using worker: {worker}" in server.output()
        assert requests.get(f"{server.url}/readyz", timeout=5).json()["status"] == "ready"
        assert requests.get(f"{server.url}/", timeout=5).headers["Referrer-Policy"] == "no-referrer"

        api = Api(LiveServer(url=server.url, env=env), key)
        robin = api.facilitator("Robin", PASSWORD)
        group, session = api.group_open_now([robin["id"]])
        # A participant over a WebSocket, through the cooperative worker.
        ana = Peer(socketio.Client(reconnection=False))
        ana.sio.connect(
            server.url,
            auth={"token": api.join_token(group["id"]), "session_id": session["id"]},
            transports=["websocket"],
            wait_timeout=10,
        )
        try:
            assert ana.emit("room:agree", {"display_name": "Ana", "mode": "listen_only"}) == {"ok": True}
            assert ana.state(lambda s: s["you"] is not None)["you"]["where"] == "lobby"

            # Ana holds one socket of two; one more handshake fills the process.
            handshake = f"{server.url}/socket.io/?EIO=4&transport=polling"
            assert requests.get(handshake, timeout=5).status_code == 200
            refused = requests.get(handshake, timeout=5)
            assert refused.status_code == 503 and refused.json()["code"] == "server_full"
            assert refused.headers["Retry-After"]
            # Ana, already in, is still answered.
            assert "ok" in ana.emit("room:agree", {"display_name": "Ana", "mode": "listen_only"})
        finally:
            ana.close()
        assert "Traceback" not in server.output()


@pytest.mark.slow
def test_production_does_not_start_without_a_secret_key(tmp_path):
    env = production_env(f"sqlite:///{tmp_path / 'hearth.db'}", "https://circles.example.org")
    del env["SECRET_KEY"]
    code, output = boot_failure(env)
    assert code != 0 and "SECRET_KEY is required in production" in output


def _gunicorn_config():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "deploy" / "gunicorn.conf.py")
    config = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(config)
    return config


def test_gunicorn_log_keeps_no_full_client_address():
    mask = _gunicorn_config().mask_addresses
    assert mask("Invalid request from ip=203.0.113.7: Invalid HTTP method") == (
        "Invalid request from ip=203.0.x.x: Invalid HTTP method"
    )
    assert mask("Invalid request from ip=2001:db8:85a3::8a2e:370:7334: bad") == (
        "Invalid request from ip=2001:0db8::x: bad"
    )
    assert mask("ip=::ffff:198.51.100.9.") == "ip=::ffff:198.51.x.x."
    # Its own listening address and times of day stay readable.
    assert mask("Listening at: http://127.0.0.1:8001 at 20:37:56") == (
        "Listening at: http://127.0.0.1:8001 at 20:37:56"
    )


def test_gunicorn_config_sizes_the_pool_above_the_socket_cap(monkeypatch):
    monkeypatch.setenv("HEARTH_MAX_SOCKETS", "3000")
    config = _gunicorn_config()
    assert config.workers == 1 and config.worker_class == "eventlet"
    assert config.worker_connections > 3000
    assert config.accesslog is None


def test_the_default_socket_cap_is_the_measured_sizing_everywhere(monkeypatch):
    monkeypatch.delenv("HEARTH_MAX_SOCKETS", raising=False)
    monkeypatch.setenv("HEARTH_ENV", "development")
    cap = Settings.from_environ().max_sockets
    # docs/deploy.md sizes a process at about 600 sockets from bench/fanout.py.
    assert cap == 600
    assert _gunicorn_config().worker_connections == cap + 256
    example = (ROOT / "deploy" / "hearth.env.example").read_text()
    assert re.search(r"^HEARTH_MAX_SOCKETS=(\d+)$", example, re.M).group(1) == str(cap)
    deploy_doc = (ROOT / "docs" / "deploy.md").read_text()
    assert (
        f"`HEARTH_MAX_SOCKETS` is **{cap}** per process by default (gunicorn's pool becomes {cap + 256};"
        in (" ".join(deploy_doc.split()))
    )
    readme_row = re.search(
        r"^\| `HEARTH_MAX_SOCKETS` \|.*\| (\d+) \|$", (ROOT / "README.md").read_text(), re.M
    )
    assert readme_row.group(1) == str(cap)


@pytest.mark.slow
def test_hearth_demo_serves_on_gunicorn_not_a_development_server(tmp_path):
    port = free_port()
    env = hearth_env(f"sqlite:///{tmp_path / 'demo.db'}", HEARTH_BASE_URL=f"http://127.0.0.1:{port}")
    run_hearth(["db", "upgrade"], env)
    with tempfile.TemporaryFile(mode="w+") as log:
        demo = subprocess.Popen(
            [*HEARTH, "demo", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}", demo, log)
            join_link = re.search(rf"http://127\.0\.0\.1:{port}/join/\S+", read_log(log)).group(0)
            assert requests.get(join_link, timeout=10).status_code == 200
        finally:
            stop_group(demo)
        text = read_log(log)
    assert "Using worker: eventlet" in text
    assert "development server" not in text and "production deployment" not in text
