"""Production refuses to start when it would be unsafe for the people in the rooms."""

from __future__ import annotations

import pytest

from service.config import ConfigError, Settings

GOOD = {
    "HEARTH_ENV": "production",
    "SECRET_KEY": "k" * 48,
    "HEARTH_BASE_URL": "https://circles.example.org",
}


def settings_with(monkeypatch, **env: str | None) -> Settings:
    for name in ("SECRET_KEY", "HEARTH_BASE_URL", "HEARTH_ALLOWED_ORIGINS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**GOOD, **env}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return Settings.from_environ()


def test_a_complete_production_environment_is_accepted(monkeypatch):
    config = settings_with(monkeypatch).flask_config("/tmp")
    assert config["HEARTH_ALLOWED_ORIGINS"] == ("https://circles.example.org",)
    assert config["SESSION_COOKIE_SECURE"] is True
    # nginx in front sets X-Forwarded-For: the sign-in throttle's client is the address it saw.
    assert config["HEARTH_PROXY_HOPS"] == 1


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is required"),
        ({"SECRET_KEY": "short"}, "at least 32"),
        ({"HEARTH_DATA_KEY": "short"}, "HEARTH_DATA_KEY must be at least 32"),
        ({"HEARTH_BASE_URL": None}, "HEARTH_BASE_URL is required"),
        ({"HEARTH_ALLOWED_ORIGINS": "*"}, "may not be '\\*'"),
        ({"HEARTH_ALLOWED_ORIGINS": "https://circles.example.org,*"}, "may not be '\\*'"),
        ({"HEARTH_ALLOWED_ORIGINS": " , "}, "set but empty"),
    ],
)
def test_production_refuses_unsafe_settings(monkeypatch, env, named):
    with pytest.raises(ConfigError, match=named):
        settings_with(monkeypatch, **env).flask_config("/tmp")


def test_development_keeps_its_conveniences(monkeypatch):
    config = settings_with(
        monkeypatch, HEARTH_ENV="development", SECRET_KEY=None, HEARTH_BASE_URL=None
    ).flask_config("/tmp")
    assert config["SECRET_KEY"] and config["HEARTH_ALLOWED_ORIGINS"] == ("http://127.0.0.1:5000",)
    assert config["HEARTH_PROXY_HOPS"] == 0, "without nginx in front, X-Forwarded-For is not trusted"


TURN_ENV = {"HEARTH_TURN_URLS": "turn:turn.example.org:3478", "HEARTH_TURN_SECRET": "shared"}


@pytest.mark.parametrize("ttl", ["0", "59", "86401", "604800"])
def test_turn_credentials_live_at_most_a_day(monkeypatch, ttl):
    with pytest.raises(ConfigError, match="HEARTH_TURN_TTL_SECONDS must be between 60 and 86400"):
        settings_with(monkeypatch, HEARTH_TURN_TTL_SECONDS=ttl, **TURN_ENV)


def test_a_day_long_credential_is_accepted(monkeypatch):
    config = settings_with(monkeypatch, HEARTH_TURN_TTL_SECONDS="86400", **TURN_ENV).flask_config("/tmp")
    assert config["HEARTH_TURN_TTL_SECONDS"] == 86400


@pytest.mark.parametrize(
    "half", [{"HEARTH_TURN_URLS": "turn:t.example.org:3478"}, {"HEARTH_TURN_SECRET": "s"}]
)
def test_production_refuses_half_a_turn_configuration(monkeypatch, half):
    with pytest.raises(ConfigError, match="go together"):
        settings_with(monkeypatch, **half).flask_config("/tmp")


@pytest.mark.parametrize(
    ("env", "relays"),
    [
        ({**TURN_ENV}, True),
        ({}, False),
        ({**TURN_ENV, "HEARTH_ENV": "development", "SECRET_KEY": None, "HEARTH_BASE_URL": None}, False),
    ],
)
def test_production_relays_media_by_default_where_turn_is_configured(monkeypatch, env, relays):
    for name in ("HEARTH_TURN_URLS", "HEARTH_TURN_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert settings_with(monkeypatch, **env).flask_config("/tmp")["HEARTH_RELAY_MEDIA_DEFAULT"] is relays
