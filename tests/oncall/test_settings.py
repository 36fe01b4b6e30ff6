"""The on-call loop's and the SMTP server's settings come from the environment."""

from __future__ import annotations

import pytest

from service.config import ConfigError, Settings
from service.delivery import mail
from tests.live_server import free_port

KNOBS = (
    "HEARTH_ON_CALL_POLL_SECONDS",
    "HEARTH_SMTP_HOST",
    "HEARTH_SMTP_PORT",
    "HEARTH_SMTP_FROM",
    "HEARTH_SMTP_USERNAME",
    "HEARTH_SMTP_PASSWORD",
    "HEARTH_SMTP_STARTTLS",
)


def _config(monkeypatch, tmp_path, **env: str) -> dict:
    """The app's config with exactly these on-call and SMTP settings in the environment."""
    for name in KNOBS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings.from_environ().flask_config(str(tmp_path))


def test_without_smtp_settings_email_is_not_set_up(monkeypatch, tmp_path):
    config = _config(monkeypatch, tmp_path, HEARTH_ENV="development")
    assert config["HEARTH_ON_CALL_POLL_SECONDS"] == 1
    assert (config["HEARTH_SMTP_HOST"], config["HEARTH_SMTP_PORT"], config["HEARTH_SMTP_STARTTLS"]) == (
        None,
        25,
        False,
    )
    assert mail.configured(config) is False
    assert (
        mail.send(mail.SmtpSettings.from_config(config), "a@example.org", "s", "t") == "smtp_not_configured"
    )
    assert _config(monkeypatch, tmp_path, HEARTH_ENV="testing")["HEARTH_ON_CALL_POLL_SECONDS"] == 0


def test_values_are_read(monkeypatch, tmp_path):
    config = _config(
        monkeypatch,
        tmp_path,
        HEARTH_SMTP_HOST="smtp.example.org",
        HEARTH_SMTP_PORT="587",
        HEARTH_SMTP_FROM="hearth@example.org",
        HEARTH_SMTP_USERNAME="hearth",
        HEARTH_SMTP_PASSWORD="pw",
        HEARTH_SMTP_STARTTLS="true",
        HEARTH_ON_CALL_POLL_SECONDS="0.5",
    )
    settings = mail.SmtpSettings.from_config(config)
    assert (settings.host, settings.port, settings.sender, settings.username, settings.starttls) == (
        "smtp.example.org",
        587,
        "hearth@example.org",
        "hearth",
        True,
    )
    assert settings.configured and config["HEARTH_ON_CALL_POLL_SECONDS"] == 0.5


def test_bad_values_are_refused(monkeypatch):
    monkeypatch.setenv("HEARTH_SMTP_STARTTLS", "maybe")
    with pytest.raises(ConfigError, match="HEARTH_SMTP_STARTTLS"):
        Settings.from_environ()


def test_a_refused_connection_is_a_failure_not_an_exception():
    settings = mail.SmtpSettings("127.0.0.1", free_port(), "h@example.org", None, None, False, 2)
    assert mail.send(settings, "a@example.org", "s", "t") == "connection_refused"
