"""The delivery worker's settings come from the environment."""

from __future__ import annotations

import pytest

from service.config import ConfigError, Settings

KNOBS = (
    "HEARTH_WEBHOOK_POLL_SECONDS",
    "HEARTH_WEBHOOK_TIMEOUT_SECONDS",
    "HEARTH_WEBHOOK_PRIVATE_ADDRESSES",
    "HEARTH_WEBHOOK_DOWN_SECONDS",
)


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    for name in KNOBS:
        monkeypatch.delenv(name, raising=False)


def _config(tmp_path) -> dict:
    return Settings.from_environ().flask_config(str(tmp_path))


def test_defaults_per_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HEARTH_ENV", "development")
    config = _config(tmp_path)
    assert config["HEARTH_WEBHOOK_POLL_SECONDS"] == 2
    assert config["HEARTH_WEBHOOK_TIMEOUT_SECONDS"] == 10
    assert config["WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"] is True
    monkeypatch.setenv("HEARTH_ENV", "testing")
    assert _config(tmp_path)["HEARTH_WEBHOOK_POLL_SECONDS"] == 0
    monkeypatch.setenv("HEARTH_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("HEARTH_BASE_URL", "https://circles.example.org")
    assert _config(tmp_path)["WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"] is False


def test_values_are_read(monkeypatch, tmp_path):
    monkeypatch.setenv("HEARTH_WEBHOOK_POLL_SECONDS", "0.5")
    monkeypatch.setenv("HEARTH_WEBHOOK_TIMEOUT_SECONDS", "3")
    monkeypatch.setenv("HEARTH_WEBHOOK_PRIVATE_ADDRESSES", "no")
    config = _config(tmp_path)
    assert config["HEARTH_WEBHOOK_POLL_SECONDS"] == 0.5
    assert config["HEARTH_WEBHOOK_TIMEOUT_SECONDS"] == 3
    assert config["WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"] is False


def test_a_timeout_below_one_second_is_raised_to_one(monkeypatch, tmp_path):
    monkeypatch.setenv("HEARTH_WEBHOOK_TIMEOUT_SECONDS", "0")
    assert _config(tmp_path)["HEARTH_WEBHOOK_TIMEOUT_SECONDS"] == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HEARTH_WEBHOOK_POLL_SECONDS", "soon"),
        ("HEARTH_WEBHOOK_POLL_SECONDS", "-1"),
        ("HEARTH_WEBHOOK_POLL_SECONDS", "nan"),
        ("HEARTH_WEBHOOK_POLL_SECONDS", "inf"),
        ("HEARTH_WEBHOOK_TIMEOUT_SECONDS", "ten"),
        ("HEARTH_WEBHOOK_PRIVATE_ADDRESSES", "maybe"),
    ],
)
def test_bad_values_are_refused_by_name(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        Settings.from_environ()


def test_an_endpoint_is_down_after_half_an_hour_of_failures_unless_told_otherwise(monkeypatch, tmp_path):
    assert _config(tmp_path)["HEARTH_WEBHOOK_DOWN_SECONDS"] == 1800
    monkeypatch.setenv("HEARTH_WEBHOOK_DOWN_SECONDS", "300")
    assert _config(tmp_path)["HEARTH_WEBHOOK_DOWN_SECONDS"] == 300
    # A minute at least: one refused connection is not an outage.
    monkeypatch.setenv("HEARTH_WEBHOOK_DOWN_SECONDS", "1")
    assert _config(tmp_path)["HEARTH_WEBHOOK_DOWN_SECONDS"] == 60
