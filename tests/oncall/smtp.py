"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it accepts, or refuses them."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.live_server import free_port


class Mailbox:
    """aiosmtpd's handler: accepts (or, with `refuse`, refuses) every message and keeps what it accepted."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            return "554 Transaction failed"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


class SmtpServer:
    """The server and its mailbox; `config` is what the app needs to send through it."""

    def __init__(self, mailbox: Mailbox | None = None) -> None:
        self.mailbox = mailbox or Mailbox()
        self.port = free_port()
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    @property
    def config(self) -> dict:
        return {
            "HEARTH_SMTP_HOST": "127.0.0.1",
            "HEARTH_SMTP_PORT": self.port,
            "HEARTH_SMTP_FROM": "hearth@example.org",
        }

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


@pytest.fixture
def smtp(app) -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 that the app sends through (a fixture: import it into a conftest)."""
    server = SmtpServer().start()
    app.config.update(server.config)
    yield server
    server.stop()
