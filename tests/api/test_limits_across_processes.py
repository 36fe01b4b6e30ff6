"""Two `hearth serve` processes on one Redis count together: API rate limits and sign-in waits.

The sign-in client is the address nginx reports in X-Forwarded-For (HEARTH_PROXY_HOPS=1 here,
as in production); Redis keeps only keyed hashes of addresses and emails.
"""

from __future__ import annotations

import re
import secrets
import time

import pytest
import redis
import requests
from conftest import REDIS_URL, need_service

from tests.live_server import live_server
from tests.realtime_e2e.helpers import Api

pytestmark = [pytest.mark.slow, pytest.mark.redis]

PASSWORD = "a long enough password"
# Counts are keyed by fresh API keys and fresh addresses, so a database of its own is enough.
SHARED_REDIS = REDIS_URL.rsplit("/", 1)[0] + "/12"


class Browser:
    """One client at one address, signing in through the form of either process."""

    def __init__(self, address: str) -> None:
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = address

    def sign_in(self, url: str, email: str, password: str) -> requests.Response:
        page = self.http.get(f"{url}/facilitator/sign-in", timeout=10)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.http.post(
            f"{url}/facilitator/sign-in",
            data={"email": email, "password": password, "csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )


def _address() -> str:
    return f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


def test_two_processes_share_the_api_limit_and_the_sign_in_waits(postgres_database):
    need_service(REDIS_URL, "Redis")
    settings = {
        "REDIS_URL": SHARED_REDIS,
        "HEARTH_API_RATE_LIMIT": "4/minute",
        "HEARTH_PROXY_HOPS": "1",
        # Long enough that a busy machine's slow requests do not outlast it.
        "HEARTH_SIGN_IN_FIRST_WAIT_SECONDS": "5",
    }
    with (
        live_server(postgres_database, **settings) as a,
        live_server(postgres_database, migrate=False, **settings) as b,
    ):
        key = {"Authorization": f"Bearer {a.create_org()['api_key']}"}
        answers = [
            requests.get(f"{server.url}/api/v1/groups", headers=key, timeout=10) for server in (a, b, a, b)
        ]
        assert [r.status_code for r in answers] == [200, 200, 200, 200]
        for server in (a, b):
            refused = requests.get(f"{server.url}/api/v1/groups", headers=key, timeout=10)
            assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
            assert refused.headers["Content-Type"] == "application/problem+json"

        email = Api(b).facilitator("Robin", PASSWORD)["email"]
        attacker_address, facilitator_address = _address(), _address()
        attacker = Browser(attacker_address)
        for _ in range(3):
            assert attacker.sign_in(a.url, email, "a guess").status_code == 401
        slowed = attacker.sign_in(a.url, email, "a guess")
        assert slowed.status_code == 401 and "Wait 5 seconds before you try again" in slowed.text

        # The other process knows: the attacker waits there too, right password or not.
        refused = attacker.sign_in(b.url, email, PASSWORD)
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 5
        assert "Too many tries from this device. Wait" in refused.text

        # The facilitator, from their own address, signs in at once on either process.
        assert Browser(facilitator_address).sign_in(b.url, email, PASSWORD).status_code == 302

        time.sleep(5.1)
        longer = attacker.sign_in(b.url, email, "another guess")
        assert longer.status_code == 401 and "Wait 10 seconds" in longer.text

        stored = redis.Redis.from_url(SHARED_REDIS)
        try:
            keys = [k.decode() for k in stored.scan_iter(match="*sign-in*")]
        finally:
            stored.close()
        assert keys, "the waits are kept in Redis"
        for secret in (email, attacker_address, facilitator_address, attacker_address.replace(":", "")):
            assert not any(secret in k for k in keys)
