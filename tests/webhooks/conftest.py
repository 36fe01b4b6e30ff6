"""Webhook endpoints pointing at a real local receiver."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from service.domain import webhooks
from service.models import WEBHOOK_EVENT_TYPES, WebhookEndpoint
from tests.oncall.smtp import smtp  # noqa: F401  (the fixture, for this directory's tests)
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver that is down (refusing connections) until the test starts it."""
    made = Receiver()
    yield made
    made.stop()


def add_issued_endpoint(
    organization_id: uuid.UUID, url: str = "https://hooks.example.org/hearth", event_types=WEBHOOK_EVENT_TYPES
) -> webhooks.IssuedEndpoint:
    """An endpoint with its signing secret in clear, as only its creation shows it."""
    return webhooks.create_endpoint(
        organization_id, url=url, event_types=list(event_types), allow_http=True, public_only=False
    )


def add_endpoint(
    organization_id: uuid.UUID, url: str = "https://hooks.example.org/hearth", event_types=WEBHOOK_EVENT_TYPES
) -> WebhookEndpoint:
    return add_issued_endpoint(organization_id, url, event_types).endpoint
