"""The sign-in throttle's rule: free tries, then waits that double up to a cap, per (account, client)
and per client over every account; nothing stored names an email or an address."""

from __future__ import annotations

import time

from limits.storage import MemoryStorage

from service.domain.sign_in import Throttle, ThrottlePolicy

EMAIL, ATTACKER, FACILITATOR = "amira@example.org", "203.0.113.9", "198.51.100.7"


def _throttle(free: int = 3, client_free: int = 20, cap: int = 900) -> Throttle:
    return Throttle(MemoryStorage(), b"k" * 32, ThrottlePolicy(free, client_free, cap))


def _fail_as_soon_as_allowed(throttle: Throttle, email: str, client: str, now: float, times: int):
    waits = []
    for _ in range(times):
        now += throttle.wait(email, client, now)
        assert throttle.wait(email, client, now) == 0
        waits.append(throttle.failed(email, client, now))
    return waits, now


def test_waits_begin_after_the_free_tries_and_double_up_to_the_cap():
    throttle = _throttle(free=3, cap=60)
    waits, _ = _fail_as_soon_as_allowed(throttle, EMAIL, ATTACKER, time.time(), 11)
    assert waits == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_while_waiting_the_client_is_told_how_long_is_left():
    throttle = _throttle(free=1)
    now = time.time()
    assert throttle.failed(EMAIL, ATTACKER, now) == 0
    assert throttle.failed(EMAIL, ATTACKER, now) == 1
    now += 1
    assert throttle.failed(EMAIL, ATTACKER, now) == 2
    assert throttle.wait(EMAIL, ATTACKER, now) == 2
    assert throttle.wait(EMAIL, ATTACKER, now + 1.5) == 1
    assert throttle.wait(EMAIL, ATTACKER, now + 2) == 0


def test_the_same_account_from_another_client_does_not_wait():
    throttle = _throttle(free=3)
    _, now = _fail_as_soon_as_allowed(throttle, EMAIL, ATTACKER, time.time(), 8)
    assert throttle.wait(EMAIL, ATTACKER, now) > 0
    assert throttle.wait(EMAIL, FACILITATOR, now) == 0
    assert throttle.failed(EMAIL, FACILITATOR, now) == 0, "a typo of the facilitator's costs nothing yet"


def test_one_client_failing_over_many_accounts_waits_too():
    throttle = _throttle(free=3, client_free=5)
    now = time.time()
    waits = [throttle.failed(f"person{i}@example.org", ATTACKER, now) for i in range(7)]
    assert waits == [0, 0, 0, 0, 0, 1, 2]
    assert throttle.wait("someone-new@example.org", ATTACKER, now) == 2
    assert throttle.wait("someone-new@example.org", FACILITATOR, now) == 0


def test_a_success_clears_the_account_and_client_count_but_not_the_clients_own():
    throttle = _throttle(free=2, client_free=4)
    now = time.time()
    for _ in range(2):
        throttle.failed(EMAIL, ATTACKER, now)
    throttle.succeeded(EMAIL, ATTACKER)
    assert throttle.failed(EMAIL, ATTACKER, now) == 0, "the pair's count started again"
    assert throttle.failed(EMAIL, ATTACKER, now) == 0
    assert throttle.failed(EMAIL, ATTACKER, now) == 1, "the client's own count (now 5) was kept"


def test_emails_are_one_account_whatever_their_case_and_spaces():
    throttle = _throttle(free=1)
    now = time.time()
    throttle.failed(EMAIL, ATTACKER, now)
    assert throttle.failed("  Amira@Example.ORG ", ATTACKER, now) == 1


def test_nothing_stored_names_the_email_or_the_address():
    storage = MemoryStorage()
    throttle = Throttle(storage, b"k" * 32, ThrottlePolicy(1, 1, 900))
    now = time.time()
    for _ in range(3):
        throttle.failed(EMAIL, ATTACKER, now)
    stored = " ".join(storage.storage)
    assert stored and EMAIL not in stored and ATTACKER not in stored and "amira" not in stored
    other_key = Throttle(storage, b"j" * 32, ThrottlePolicy(1, 1, 900))
    assert other_key.tag("client", ATTACKER) != throttle.tag("client", ATTACKER)
