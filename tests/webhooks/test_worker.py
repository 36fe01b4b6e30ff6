"""The delivery worker against a real HTTP receiver, driven with an injected clock."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from service.delivery import sender, worker
from service.domain import outbox, webhooks
from service.domain.addresses import is_public
from service.extensions import db
from service.models import WebhookAttempt, WebhookDelivery
from tests.webhooks.conftest import add_endpoint, add_issued_endpoint
from tests.webhooks.receiver import verify

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=70)


def _enqueue(org, data: dict | None = None) -> None:
    outbox.enqueue(org.id, "session.started", data or {"session_id": "s1"})
    db.session.commit()


def _delivery() -> WebhookDelivery:
    db.session.expire_all()
    return db.session.execute(db.select(WebhookDelivery)).scalar_one()


def _attempts() -> list[WebhookAttempt]:
    return list(db.session.execute(db.select(WebhookAttempt).order_by(WebhookAttempt.attempted_at)).scalars())


def _backdate(when: datetime) -> None:
    """Make the pending deliveries look enqueued at `when` (the tests' clock starts there)."""
    db.session.execute(
        db.update(WebhookDelivery).values(next_attempt_at=when, retry_started_at=when, created_at=when)
    )
    db.session.commit()


def test_a_receiver_that_is_down_gets_the_delivery_when_it_comes_back(org, receiver):
    issued = add_issued_endpoint(org.id, url=receiver.url)
    _enqueue(org)
    _backdate(T0)

    assert worker.deliver_due(T0) == 1  # refused: nothing listens yet
    first_retry = _delivery().next_attempt_at
    assert timedelta(seconds=4) <= first_retry - T0 <= timedelta(seconds=6)
    assert worker.deliver_due(T0 + timedelta(seconds=1)) == 0  # not due yet

    receiver.status = 503
    receiver.start()
    assert worker.deliver_due(T0 + timedelta(seconds=10)) == 1
    assert _delivery().status == "pending"

    receiver.status = 204
    assert worker.deliver_due(T0 + timedelta(hours=1)) == 1
    delivery = _delivery()
    assert delivery.status == "delivered" and delivery.delivered_at == T0 + timedelta(hours=1)
    assert delivery.next_attempt_at is None and delivery.attempt_count == 3

    attempts = _attempts()
    assert [(a.status_code, a.error) for a in attempts] == [
        (None, "connection_refused"),
        (503, "http_status"),
        (204, None),
    ]
    assert (
        attempts[1].response_excerpt.startswith("receiver says:") and len(attempts[1].response_excerpt) == 200
    )
    assert attempts[2].response_excerpt is None
    assert all(a.duration_ms >= 0 for a in attempts)

    # Both attempts that reached the receiver carry the same id, each its own valid signature.
    assert len(receiver.received) == 2
    assert {r.headers["webhook-id"] for r in receiver.received} == {delivery.event_id}
    assert all(verify(issued.secret, r) for r in receiver.received)
    assert receiver.received[-1].headers["webhook-timestamp"] == str(
        int((T0 + timedelta(hours=1)).timestamp())
    )
    assert receiver.received[-1].path == "/hooks/hearth"


def test_retries_go_on_for_a_day_then_the_delivery_fails(org, receiver):
    add_endpoint(org.id, url=receiver.url)
    _enqueue(org)
    _backdate(T0)
    now = T0
    while _delivery().status == "pending":
        assert worker.deliver_due(now) == 1
        now = _delivery().next_attempt_at or now
    delivery = _delivery()
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    assert delivery.failed_at - T0 >= timedelta(hours=24)
    assert delivery.failed_at - T0 < timedelta(hours=27)
    attempts = _attempts()
    assert len(attempts) == delivery.attempt_count and 15 <= len(attempts) <= 25
    gaps = [b.attempted_at - a.attempted_at for a, b in pairwise(attempts)]
    assert gaps[:3] == sorted(gaps[:3]) and max(gaps) <= timedelta(hours=2.4)


@pytest.mark.real_commits  # threads with sessions of their own
def test_a_delivery_is_claimed_by_one_worker_at_a_time(app, org):
    add_endpoint(org.id)
    for n in range(6):
        _enqueue(org, {"n": n})
    _backdate(T0)
    claims: list = []

    def claim_all() -> None:
        with app.app_context():
            while (claim := worker.claim_next(T0, LEASE)) is not None:
                claims.append(claim.delivery_id)
            db.session.remove()

    threads = [threading.Thread(target=claim_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(claims) == 6 and len(set(claims)) == 6
    assert worker.claim_next(T0 + LEASE - timedelta(seconds=1), LEASE) is None


def test_a_claim_whose_worker_died_runs_out_and_the_delivery_is_sent_by_another(org, receiver):
    add_endpoint(org.id, url=receiver.url)
    receiver.start()
    _enqueue(org)
    _backdate(T0)
    lost = worker.claim_next(T0, LEASE)  # its process dies before sending
    assert worker.deliver_due(T0 + timedelta(seconds=30)) == 0
    assert worker.deliver_due(T0 + LEASE) == 1
    assert _delivery().status == "delivered" and len(receiver.received) == 1

    # Should the first worker come back after all, its attempt is logged but changes nothing.
    worker.record_attempt(lost, sender.Outcome(duration_ms=1, error="timeout"), T0 + LEASE)
    delivery = _delivery()
    assert delivery.status == "delivered" and delivery.attempt_count == 2


def test_a_redeliver_while_an_attempt_is_in_flight_wins_over_its_outcome(org):
    endpoint = add_endpoint(org.id)
    _enqueue(org)
    _backdate(T0)
    in_flight = worker.claim_next(T0, LEASE)
    redelivered_at = T0 + timedelta(seconds=3)
    outbox.redeliver(org.id, endpoint.id, in_flight.delivery_id, redelivered_at)
    worker.record_attempt(
        in_flight, sender.Outcome(duration_ms=2000, status_code=500), T0 + timedelta(seconds=4)
    )
    delivery = _delivery()
    assert delivery.status == "pending" and delivery.next_attempt_at == redelivered_at
    assert delivery.retry_step == 0 and delivery.attempt_count == 1


def test_an_endpoint_deleted_while_its_delivery_is_in_flight_is_no_trouble(org):
    endpoint = add_endpoint(org.id)
    _enqueue(org)
    _backdate(T0)
    claim = worker.claim_next(T0, LEASE)

    def delete_then_answer(*args) -> sender.Outcome:
        webhooks.delete_endpoint(org.id, endpoint.id)
        return sender.Outcome(duration_ms=5, status_code=200)

    assert worker.attempt(claim, T0, delete_then_answer).ok
    assert worker.attempt(claim, T0, delete_then_answer) is None
    assert worker.deliver_due(T0 + LEASE) == 0


def test_a_disabled_endpoint_waits_until_enabled_again(org, receiver):
    endpoint = add_endpoint(org.id, url=receiver.url)
    receiver.start()
    _enqueue(org)
    _backdate(T0)
    webhooks.update_endpoint(org.id, endpoint.id, allow_http=True, public_only=False, enabled=False)
    assert worker.deliver_due(T0) == 0
    webhooks.update_endpoint(org.id, endpoint.id, allow_http=True, public_only=False, enabled=True)
    assert worker.deliver_due(T0) == 1 and _delivery().status == "delivered"


def test_a_pass_stops_at_its_limit(org):
    add_endpoint(org.id)
    for n in range(3):
        _enqueue(org, {"n": n})
    _backdate(T0)
    sent = []
    assert (
        worker.deliver_due(T0, send=lambda *args: sent.append(args) or sender.Outcome(1, 200), limit=2) == 2
    )
    assert len(sent) == 2


def test_private_addresses_are_refused_before_connecting_when_not_allowed(app, org, receiver):
    add_endpoint(org.id, url=receiver.url)
    receiver.start()
    _enqueue(org)
    _backdate(T0)
    app.config["WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"] = False
    worker.deliver_due(T0)
    assert [a.error for a in _attempts()] == ["address_not_allowed"]
    assert receiver.received == []


def test_redirects_are_not_followed(receiver):
    receiver.status = 302
    receiver.start()
    outcome = sender.post(receiver.url, {}, "{}", timeout=2, public_only=False)
    assert (outcome.status_code, outcome.error, outcome.ok) == (302, "http_status", False)
    assert len(receiver.received) == 1


def test_a_receiver_that_never_answers_times_out():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        outcome = sender.post(
            f"http://127.0.0.1:{silent.getsockname()[1]}/", {}, "{}", timeout=0.3, public_only=False
        )
    assert (outcome.status_code, outcome.error) == (None, "timeout")
    assert 250 <= outcome.duration_ms < 3000


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("fe80::1%eth0", False),
        ("93.184.215.14", True),
        ("2606:4700::6810:84e5", True),
    ],
)
def test_which_addresses_count_as_public(address, public):
    assert is_public(address) is public


class _Stop(Exception):
    pass


def _stop(_seconds: float) -> None:
    raise _Stop


def test_the_worker_loop_delivers_and_survives_a_failed_pass(app, org, receiver, monkeypatch):
    add_endpoint(org.id, url=receiver.url)
    receiver.start()
    _enqueue(org)
    with pytest.raises(_Stop):
        worker.run_forever(app, 1, _stop)
    assert _delivery().status == "delivered" and len(receiver.received) == 1

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(worker, "deliver_due", broken)
    with pytest.raises(_Stop):
        worker.run_forever(app, 1, _stop)  # logged, and the loop goes on to sleep


def test_the_worker_starts_once_on_socketio_and_not_when_disabled(app, monkeypatch):
    started = []
    monkeypatch.setattr(app.extensions["socketio"], "start_background_task", lambda *a: started.append(a))
    app.config["HEARTH_WEBHOOK_POLL_SECONDS"] = 0
    assert worker.start_worker(app) is False and started == []
    app.config["HEARTH_WEBHOOK_POLL_SECONDS"] = 0.5
    assert worker.start_worker(app) is True
    assert worker.start_worker(app) is False
    [(target, *args)] = started
    assert target is worker.run_forever and args[:2] == [app, 0.5]


def _self_signed(tmp_path) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(cert_path), str(key_path)


def test_an_https_receiver_with_an_untrusted_certificate_is_a_tls_error(tmp_path):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_self_signed(tmp_path))
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()

        def handshake() -> None:
            conn, _ = listener.accept()
            with contextlib.suppress(OSError), context.wrap_socket(conn, server_side=True):
                pass

        thread = threading.Thread(target=handshake, daemon=True)
        thread.start()
        outcome = sender.post(
            f"https://localhost:{listener.getsockname()[1]}/", {}, "{}", timeout=3, public_only=False
        )
        thread.join(timeout=5)
    assert (outcome.status_code, outcome.error) == (None, "tls_error")
