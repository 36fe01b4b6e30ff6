"""Each API key's calls are limited on its own: over the limit is 429 with Retry-After."""

from __future__ import annotations

import pytest

from service.config import ConfigError, Settings
from service.domain.organizations import issue_api_key


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_key_over_its_limit_is_429_while_other_keys_of_any_organization_go_on(app, client, org, other_org):
    app.config["HEARTH_API_RATE_LIMIT"] = "3/minute"
    second_key = issue_api_key(org.id, "Scheduler").secret

    for _ in range(3):
        assert org.get("/api/v1/facilitators").status_code == 200
    refused = org.get("/api/v1/groups")
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert refused.json["code"] == "rate_limited" and refused.json["status"] == 429
    assert "3 per 1 minute" in refused.json["detail"]
    # The limiter keeps its window's end in whole seconds, so a wait rounded up can read 61.
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    # Refused calls do nothing: a write over the limit creates nothing.
    assert org.post("/api/v1/facilitators", json={"name": "A", "email": "a@example.org"}).status_code == 429

    assert client.get("/api/v1/facilitators", headers=_bearer(second_key)).status_code == 200
    assert other_org.get("/api/v1/facilitators").status_code == 200
    assert other_org.get("/api/v1/facilitators").headers["X-RateLimit-Remaining"] == "1"
    assert client.get("/api/v1/facilitators", headers=_bearer(second_key)).json["items"] == []


def test_pages_probes_and_calls_without_a_valid_key_are_not_counted_against_a_key(app, client, org):
    app.config["HEARTH_API_RATE_LIMIT"] = "2/minute"
    for _ in range(5):
        assert client.get("/api/v1/facilitators").status_code == 401
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/openapi.json").status_code == 200
        assert client.get("/help").status_code == 200
    assert org.get("/api/v1/facilitators").status_code == 200
    assert org.get("/api/v1/facilitators").status_code == 200
    assert org.get("/api/v1/facilitators").status_code == 429


def test_the_limit_is_a_setting_with_a_sane_default(monkeypatch):
    monkeypatch.delenv("HEARTH_API_RATE_LIMIT", raising=False)
    assert Settings.from_environ().api_rate_limit == "600/minute;10000/hour"
    monkeypatch.setenv("HEARTH_API_RATE_LIMIT", "100/minute")
    assert Settings.from_environ().api_rate_limit == "100/minute"
    monkeypatch.setenv("HEARTH_API_RATE_LIMIT", "lots")
    with pytest.raises(ConfigError, match="HEARTH_API_RATE_LIMIT"):
        Settings.from_environ()


def test_only_a_refusal_says_retry_after(app, org):
    # Flask-Limiter would otherwise stamp its window's reset on every counted answer, and so
    # override a 503's own Retry-After (the database back in 5 s) with the minute's reset.
    app.config["HEARTH_API_RATE_LIMIT"] = "1/minute"
    counted = org.get("/api/v1/facilitators")
    assert counted.status_code == 200 and "Retry-After" not in counted.headers
    # The limiter keeps its window's end in whole seconds, so a wait rounded up can read 61.
    assert 1 <= int(counted.headers["X-RateLimit-Reset-After"]) <= 61
    assert 1 <= int(org.get("/api/v1/facilitators").headers["Retry-After"]) <= 61
