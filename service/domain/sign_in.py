"""Signing a facilitator in, with throttling that slows whoever fails, never the account's owner elsewhere.

Failures are counted per (account, client) and per client over every account, in the rate
limiter's storage (Redis when configured, so every process counts together). Past a few free
failures each one makes that client wait twice as long as the last, up to a ceiling; a success
clears its own (account, client) count. Accounts are named by the email typed and clients by
their address, both only as keyed hashes: nothing stored tells an email or an address, and an
email nobody has is throttled exactly as one that exists.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
from dataclasses import dataclass

from limits.storage import Storage

from service.domain.facilitators import authenticate_facilitator
from service.models import Facilitator

log = logging.getLogger("hearth.sign_in")

# Failures are counted for a day from the first one of a run.
FAILURE_WINDOW_SECONDS = 24 * 60 * 60
TAG_HEX_LENGTH = 32


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures are free, the first wait after more, and the longest."""

    free_tries: int
    client_free_tries: int
    max_wait_seconds: int
    first_wait_seconds: int = 1

    def wait_after(self, failures: int, free: int) -> int:
        """Seconds to wait after the `failures`-th failure: none while free, then doubling up to the cap."""
        if failures <= free:
            return 0
        return min(self.first_wait_seconds * 2 ** min(failures - free - 1, 32), self.max_wait_seconds)


@dataclass(frozen=True)
class SignInAttempt:
    """What came of one try: the facilitator signed in, or how long this client must now wait."""

    facilitator: Facilitator | None
    wait_seconds: int = 0
    # True when the password was not even looked at, because this client was still waiting.
    refused: bool = False


class Throttle:
    """Failure counts and waits over a `limits` storage, under keys made of keyed hashes."""

    def __init__(self, storage: Storage, tag_key: bytes, policy: ThrottlePolicy) -> None:
        self.storage = storage
        self.tag_key = tag_key
        self.policy = policy

    def tag(self, kind: str, value: str) -> str:
        """A keyed hash of `value`: the same for the same value, telling nothing of it without the key."""
        digest = hmac.new(self.tag_key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
        return digest[:TAG_HEX_LENGTH]

    def _pair_scope(self, email: str, client: str) -> str:
        return f"sign-in:pair:{self.tag('account', email.strip().lower())}:{self.tag('client', client)}"

    def _scopes(self, email: str, client: str) -> tuple[tuple[str, int], ...]:
        return (
            (self._pair_scope(email, client), self.policy.free_tries),
            (f"sign-in:client:{self.tag('client', client)}", self.policy.client_free_tries),
        )

    def _remaining(self, scope: str, now: float) -> int:
        until_ms = self.storage.get(f"{scope}:until")
        remaining = math.ceil((until_ms - now * 1000) / 1000)
        # Two processes failing at the same instant can add their times together: never more than the ceiling.
        return max(0, min(remaining, self.policy.max_wait_seconds))

    def wait(self, email: str, client: str, now: float) -> int:
        """Seconds this client must still wait before trying this account again."""
        return max(self._remaining(scope, now) for scope, _ in self._scopes(email, client))

    def failed(self, email: str, client: str, now: float) -> int:
        """Count a failure; returns the seconds this client must now wait."""
        longest = 0
        for scope, free in self._scopes(email, client):
            failures = self.storage.incr(f"{scope}:failures", FAILURE_WINDOW_SECONDS)
            wait = self.policy.wait_after(failures, free)
            if wait:
                # A fresh key, so that its expiry is this wait's (an existing key keeps its own).
                self.storage.clear(f"{scope}:until")
                self.storage.incr(f"{scope}:until", wait + 1, amount=math.floor((now + wait) * 1000))
                longest = max(longest, wait)
        if longest:
            log.info("sign-in failures from client %s: waits %d s", self.tag("client", client)[:12], longest)
        return longest

    def succeeded(self, email: str, client: str) -> None:
        """Forget this account's failures from this client (the client's own count stays)."""
        pair = self._pair_scope(email, client)
        self.storage.clear(f"{pair}:failures")
        self.storage.clear(f"{pair}:until")


def attempt_sign_in(throttle: Throttle, email: str, password: str, client: str, now: float) -> SignInAttempt:
    """Check the password unless this client must still wait; count the outcome."""
    wait = throttle.wait(email, client, now)
    if wait:
        return SignInAttempt(None, wait, refused=True)
    facilitator = authenticate_facilitator(email, password)
    if facilitator is not None:
        throttle.succeeded(email, client)
        return SignInAttempt(facilitator)
    return SignInAttempt(None, throttle.failed(email, client, now))
