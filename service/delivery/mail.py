"""One e-mail over SMTP (the standard library's smtplib), reduced to whether the server accepted it."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from service.delivery import sender


@dataclass(frozen=True)
class SmtpSettings:
    """Where and as whom to send; `host` None means e-mail is not set up."""

    host: str | None
    port: int
    sender: str | None
    username: str | None
    password: str | None
    starttls: bool
    timeout: float

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        return cls(
            host=config["HEARTH_SMTP_HOST"],
            port=config["HEARTH_SMTP_PORT"],
            sender=config["HEARTH_SMTP_FROM"],
            username=config["HEARTH_SMTP_USERNAME"],
            password=config["HEARTH_SMTP_PASSWORD"],
            starttls=config["HEARTH_SMTP_STARTTLS"],
            timeout=config["HEARTH_WEBHOOK_TIMEOUT_SECONDS"],
        )

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


def configured(config: Mapping[str, Any]) -> bool:
    """Whether the app can send e-mail at all."""
    return SmtpSettings.from_config(config).configured


def _error_kind(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return "smtp_refused"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "smtp_auth_failed"
    if isinstance(exc, smtplib.SMTPException):
        return "smtp_error"
    return sender.error_kind(exc)


def send(settings: SmtpSettings, to: str, subject: str, text: str) -> str | None:
    """Send a plain-text message; None once the server accepted it, else the kind of failure."""
    if not settings.configured:
        return "smtp_not_configured"
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.sender, to, subject
    message.set_content(text)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        return _error_kind(exc)
    return None
