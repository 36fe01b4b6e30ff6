"""Signatures in the Standard Webhooks form, and the retry schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.delivery import schedule
from service.delivery.signing import signature, signed_headers
from service.domain.webhooks import new_secret
from tests.webhooks.receiver import Received, verify


def test_the_specifications_published_example_signs_the_same():
    # The example of the Standard Webhooks specification (and of its libraries' tests).
    assert (
        signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            '{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_an_independent_verifier_accepts_the_headers_and_refuses_any_change():
    secret, body = new_secret(), '{"type":"session.started","data":{}}'
    headers = {k.lower(): v for k, v in signed_headers(secret, "msg_abc", 1700000000, body).items()}
    assert headers["webhook-id"] == "msg_abc" and headers["webhook-timestamp"] == "1700000000"
    assert headers["content-type"] == "application/json"
    assert verify(secret, Received("/", headers, body))
    assert not verify(secret, Received("/", headers, body.replace("started", "ended")))
    assert not verify(new_secret(), Received("/", headers, body))
    assert not verify(secret, Received("/", {**headers, "webhook-timestamp": "1700000001"}, body))
    assert not verify(secret, Received("/", {**headers, "webhook-id": "msg_abd"}, body))


@pytest.mark.parametrize(
    ("step", "base"),
    [
        (0, timedelta(seconds=5)),
        (1, timedelta(seconds=30)),
        (2, timedelta(minutes=2)),
        (3, timedelta(minutes=10)),
        (4, timedelta(minutes=30)),
        (5, timedelta(hours=1)),
        (6, timedelta(hours=2)),
        (40, timedelta(hours=2)),
    ],
)
def test_delays_grow_then_settle_at_two_hours_with_jitter_either_side(step, base):
    assert schedule.retry_delay(step, rand=lambda: 0.5) == base
    assert schedule.retry_delay(step, rand=lambda: 0.0) == base * 0.8
    assert schedule.retry_delay(step, rand=lambda: 1.0) == base * 1.2


def test_retries_continue_for_24_hours_then_stop():
    started = datetime(2030, 1, 1, tzinfo=UTC)
    times, at, step = [], started, 0
    while (retry := schedule.next_attempt(started, at, step, rand=lambda: 0.0)) is not None:
        times.append(retry)
        at, step = retry, step + 1
    assert times[0] - started == timedelta(seconds=4)  # 5 s, shrunk by the largest jitter
    assert at - started >= timedelta(hours=24)  # the last failure came after a full day
    assert times[-2] - started < timedelta(hours=24)
    assert 15 <= len(times) <= 25
