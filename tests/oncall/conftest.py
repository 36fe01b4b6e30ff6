"""A real SMTP server and a real webhook receiver on loopback, and an organization's policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.delivery import oncall
from service.domain import oncall_policy
from tests.oncall.smtp import smtp  # noqa: F401  (the fixture, for this directory's tests)
from tests.webhooks.conftest import add_endpoint
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver that is down (refusing connections) until the test starts it."""
    made = Receiver()
    yield made
    made.stop()


def set_policy(org, *steps: dict) -> None:
    oncall_policy.replace_policy(org.id, list(steps))


def webhook_step(org, receiver: Receiver, ack_seconds: int = 300) -> dict:
    endpoint = add_endpoint(org.id, receiver.url, event_types=["session.started"])
    return {"kind": "webhook", "endpoint_id": endpoint.id, "ack_seconds": ack_seconds}


def email_step(address: str = "on-call@example.org", ack_seconds: int = 300) -> dict:
    return {"kind": "email", "email": address, "ack_seconds": ack_seconds}


def page(now=None) -> int:
    """One pass of the on-call loop at `now`, as each server process runs every second."""
    return oncall.page_due(now)
