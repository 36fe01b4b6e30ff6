"""A real SMTP server and a real webhook receiver on loopback, for a real server process to reach."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.oncall.smtp import SmtpServer
from tests.webhooks.receiver import Receiver


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver().start()
    yield made
    made.stop()
