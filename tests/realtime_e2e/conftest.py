"""A real SMTP server and a real webhook receiver on loopback, for the tests against a server process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.oncall.smtp import SmtpServer
from tests.webhooks.receiver import Receiver


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 that keeps what it accepts (give the server its `config`)."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1, up (it answers `status`, 204 unless a test changes it)."""
    made = Receiver().start()
    yield made
    made.stop()
