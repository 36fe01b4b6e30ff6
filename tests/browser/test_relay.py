"""Relayed media between real browsers through a real coturn: the selected candidate pairs, and the sound."""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from service.app import create_app
from service.config import Settings
from tests.browser.room_helpers import seat_named
from tests.browser.test_media import rising, room_with, wait_until
from tests.live_server import LiveServer, free_port, live_server

pytestmark = pytest.mark.slow

TURNSERVER = shutil.which("turnserver") or "/usr/bin/turnserver"

# Per remote seat: the selected candidate pair's local and remote types, and every local candidate's type.
CANDIDATES = """async () => {
    const { connections } = await import('/static/js/room/media.js');
    const out = {};
    for (const [seatId, pc] of connections()) {
        const reports = new Map();
        (await pc.getStats()).forEach((report) => reports.set(report.id, report));
        const all = [...reports.values()];
        const transport = all.find((r) => r.type === 'transport');
        const pair = transport && reports.get(transport.selectedCandidatePairId);
        out[seatId] = {
            policy: pc.getConfiguration().iceTransportPolicy,
            local: pair ? reports.get(pair.localCandidateId).candidateType : null,
            remote: pair ? reports.get(pair.remoteCandidateId).candidateType : null,
            gathered: all.filter((r) => r.type === 'local-candidate').map((r) => r.candidateType),
        };
    }
    return out;
}"""


@dataclass(frozen=True)
class Turn:
    url: str
    secret: str


@pytest.fixture(scope="module")
def coturn(tmp_path_factory) -> Iterator[Turn]:
    """Debian's coturn on loopback with a shared secret, as deploy/coturn/turnserver.conf runs it."""
    if not shutil.which(TURNSERVER):
        pytest.skip("no coturn (apt-get install coturn)")
    home = tmp_path_factory.mktemp("coturn")
    port, secret = free_port(), secrets.token_urlsafe(24)
    # A small relay range of its own, away from other tests' ephemeral ports.
    low = 40000 + secrets.randbelow(200) * 100
    process = subprocess.Popen(
        [
            TURNSERVER,
            "-n",
            "--listening-ip=127.0.0.1",
            "--relay-ip=127.0.0.1",
            f"--listening-port={port}",
            f"--min-port={low}",
            f"--max-port={low + 99}",
            "--use-auth-secret",
            f"--static-auth-secret={secret}",
            "--realm=hearth.test",
            # Everything here is on loopback, which the production configuration refuses to relay to.
            "--allow-loopback-peers",
            "--fingerprint",
            "--no-cli",
            "--no-tls",
            "--no-dtls",
            f"--userdb={home / 'turndb'}",
            f"--pidfile={home / 'turnserver.pid'}",
            f"--log-file={home / 'turn.log'}",
            "--simple-log",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, process)
        yield Turn(url=f"turn:127.0.0.1:{port}?transport=udp", secret=secret)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        assert process.poll() is None, "coturn exited at start"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("coturn did not listen within 15 s")


@pytest.fixture(scope="module")
def hearth_server(tmp_path_factory, coturn: Turn) -> Iterator[LiveServer]:
    """A server of this module's own, handing out credentials for the coturn above."""
    database = tmp_path_factory.mktemp("relay") / "hearth.db"
    with live_server(
        f"sqlite:///{database}", HEARTH_TURN_URLS=coturn.url, HEARTH_TURN_SECRET=coturn.secret
    ) as server:
        yield server


@pytest.fixture(scope="module")
def server_app(hearth_server: LiveServer):
    return create_app(Settings.from_environ(), SQLALCHEMY_DATABASE_URI=hearth_server.env["DATABASE_URL"])


def pair_of(page, seat_id: str) -> dict:
    """The candidate pair `page` selected towards `seat_id`, once there is one."""

    def selected():
        found = page.evaluate(CANDIDATES).get(seat_id)
        return found if found and found["local"] else None

    return wait_until(selected, timeout=20)


def speakers(make_circle, open_page, relay_media: bool):
    host, (sam, ari) = room_with(
        make_circle, open_page, [("Sam", "speak"), ("Ari", "speak")], relay_media=relay_media
    )
    return (sam, seat_named(host, "Sam")["seat_id"]), (ari, seat_named(host, "Ari")["seat_id"])


def test_with_relay_on_both_sides_use_relayed_candidates_alone_and_hear_each_other(make_circle, open_page):
    (sam, sam_seat), (ari, ari_seat) = speakers(make_circle, open_page, relay_media=True)
    for page, other in ((sam, ari_seat), (ari, sam_seat)):
        pair = pair_of(page, other)
        assert pair["policy"] == "relay"
        assert (pair["local"], pair["remote"]) == ("relay", "relay"), pair
        assert set(pair["gathered"]) == {"relay"}, "no host or server-reflexive candidate was gathered"
    assert rising(ari, sam_seat) and rising(sam, ari_seat)


def test_with_relay_off_the_browsers_connect_directly(make_circle, open_page):
    (sam, sam_seat), (ari, ari_seat) = speakers(make_circle, open_page, relay_media=False)
    for page, other in ((sam, ari_seat), (ari, sam_seat)):
        pair = pair_of(page, other)
        assert pair["policy"] == "all"
        assert (pair["local"], pair["remote"]) == ("host", "host"), pair
    assert rising(ari, sam_seat) and rising(sam, ari_seat)
