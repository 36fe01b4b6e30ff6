"""Where "Exit now" leaves for: the organization's neutral page, else the deployment's."""

from __future__ import annotations

import uuid

import pytest
from flask.cli import ScriptInfo

from service.cli import main
from service.config import DEFAULT_EXIT_URL, ConfigError, Settings
from service.domain import organizations
from service.domain.errors import NotFound
from service.extensions import db
from service.models import Organization


def test_the_deployment_default_is_a_neutral_page_and_can_be_changed(monkeypatch):
    monkeypatch.delenv("HEARTH_EXIT_URL", raising=False)
    assert Settings.from_environ().exit_url == DEFAULT_EXIT_URL == "https://www.bbc.co.uk/weather"
    monkeypatch.setenv("HEARTH_EXIT_URL", "https://weather.example/today")
    assert Settings.from_environ().flask_config("/tmp")["HEARTH_EXIT_URL"] == "https://weather.example/today"


@pytest.mark.parametrize("value", ["javascript:alert(1)", "weather.example", "https://", "ftp://x.example"])
def test_the_deployment_default_must_be_a_web_address(monkeypatch, value):
    monkeypatch.setenv("HEARTH_EXIT_URL", value)
    with pytest.raises(ConfigError, match="HEARTH_EXIT_URL"):
        Settings.from_environ()


def test_an_organization_without_its_own_uses_the_deployments(org):
    organization = db.session.get(Organization, org.id)
    assert organization.exit_url is None
    assert organizations.exit_url_for(organization, "https://d.example/") == "https://d.example/"
    assert organizations.exit_url_for(None, "https://d.example/") == "https://d.example/"
    organizations.set_exit_url(org.id, "https://news.example/")
    assert organizations.exit_url_for(organization, "https://d.example/") == "https://news.example/"
    organizations.set_exit_url(org.id, None)
    assert organizations.exit_url_for(organization, "https://d.example/") == "https://d.example/"
    with pytest.raises(NotFound):
        organizations.set_exit_url(uuid.uuid4(), None)


def _hearth(app, *args: str):
    return app.test_cli_runner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_the_command_line_sets_and_checks_it(app, org):
    done = _hearth(app, "set-exit-url", str(org.id), "https://news.example/")
    assert done.exit_code == 0 and "https://news.example/" in done.output
    assert db.session.get(Organization, org.id).exit_url == "https://news.example/"
    done = _hearth(app, "set-exit-url", str(org.id))
    assert done.exit_code == 0 and app.config["HEARTH_EXIT_URL"] in done.output
    refused = _hearth(app, "set-exit-url", str(org.id), "javascript:alert(1)")
    assert refused.exit_code == 2 and "Not a valid URL" in refused.output
    assert _hearth(app, "set-exit-url", str(uuid.uuid4()), "https://a.example/").exit_code == 1
    created = _hearth(app, "create-org", "Harbour", "--exit-url", "https://weather.example/", "--json")
    assert created.exit_code == 0, created.output
    assert db.session.execute(
        db.select(Organization.exit_url).where(Organization.name == "Harbour")
    ).scalar_one() == ("https://weather.example/")
