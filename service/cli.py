"""The `hearth` command line, built on Flask's CLI (so `hearth db upgrade` works too)."""

from __future__ import annotations

import json
import logging
import os
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import click
import marshmallow as ma
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from service.app import create_app
from service.delivery import worker
from service.demo import create_demo
from service.domain import organizations, retention, sessions
from service.domain.errors import NotFound
from service.extensions import socketio
from service.schemas.organizations import OrganizationSettingsSchema

DEFAULT_POLL_SECONDS = 2.0
LOCAL_GRACEFUL_TIMEOUT_SECONDS = 2
GUNICORN_CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def _create_app():
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """Hearth: scheduled, facilitated peer support circles."""


def _exit_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    try:
        return OrganizationSettingsSchema().load({"exit_url": value})["exit_url"]
    except ma.ValidationError as error:
        raise click.BadParameter(" ".join(error.messages["exit_url"])) from error


EXIT_URL_HELP = 'The neutral page "Exit now" leaves for (default: HEARTH_EXIT_URL).'


@main.command("create-org")
@click.argument("name")
@click.option("--region", default=None, help="Default region for crisis resources, e.g. US.")
@click.option("--exit-url", default=None, callback=_exit_url, help=EXIT_URL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@with_appcontext
def create_org(name: str, region: str | None, exit_url: str | None, as_json: bool) -> None:
    """Create an organization and print its first API key (shown only this once)."""
    issued = organizations.create_organization(name, default_region=region, exit_url=exit_url)
    if as_json:
        click.echo(json.dumps({"organization_id": str(issued.key.organization_id), "api_key": issued.secret}))
        return
    click.echo(f"Organization {name!r} created: {issued.key.organization_id}")
    click.echo(f"API key (shown only this once): {issued.secret}")


@main.command("set-exit-url")
@click.argument("organization_id", type=click.UUID)
@click.argument("exit_url", required=False, callback=_exit_url)
@with_appcontext
def set_exit_url(organization_id: uuid.UUID, exit_url: str | None) -> None:
    """Choose the neutral page "Exit now" leaves for; without a URL, HEARTH_EXIT_URL again."""
    try:
        organization = organizations.set_exit_url(organization_id, exit_url)
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    shown = organizations.exit_url_for(organization, current_app.config["HEARTH_EXIT_URL"])
    click.echo(f"Exit now leaves for {shown}")


@main.command("refresh-schedules")
@with_appcontext
def refresh_schedules() -> None:
    """Materialize every active group's sessions up to the rolling horizon (run daily)."""
    extended = sessions.extend_horizons(
        datetime.now(UTC), current_app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"]
    )
    click.echo(f"Extended the schedule of {extended} group(s).")


@main.command("purge")
@with_appcontext
def purge() -> None:
    """Remove every kept record older than its organization's retention (the scheduler runs it hourly)."""
    removed = retention.purge(datetime.now(UTC))
    for kind in retention.KINDS:
        click.echo(f"{kind}: {removed[kind]}")


@main.command("deliver-webhooks")
@click.option("--once", is_flag=True, help="Attempt what is due now, then exit.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Seconds between passes (default: HEARTH_WEBHOOK_POLL_SECONDS, or 2 when that is 0).",
)
@with_appcontext
def deliver_webhooks(once: bool, interval: float | None) -> None:
    """Deliver webhooks from the outbox: one pass with --once, else until interrupted."""
    if once:
        click.echo(f"Attempted {worker.deliver_due()} webhook delivery(s).")
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    interval = interval or current_app.config["HEARTH_WEBHOOK_POLL_SECONDS"] or DEFAULT_POLL_SECONDS
    worker.run_forever(current_app._get_current_object(), interval, socketio.sleep)


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Only create the demo data and print the links.")
@with_appcontext
def demo(host: str, port: int, no_serve: bool) -> None:
    """Create a demo organization whose circle is live now, print its links, and serve."""
    base_url = current_app.config["HEARTH_BASE_URL"]
    made = create_demo(base_url, current_app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"])
    click.echo("\nHearth demo: a circle that is live now\n")
    click.echo(f"  Organization id:   {made.organization_id}")
    click.echo(f"  API key:           {made.api_key}")
    click.echo(f"  API reference:     {base_url}/api/v1/docs")
    click.echo(f"  Facilitator sign-in: {base_url}/facilitator/sign-in")
    click.echo(f"  Facilitator email: {made.facilitator_email}")
    click.echo(f"  Facilitator password: {made.facilitator_password}")
    click.echo(f"  The room's console (after signing in): {base_url}/facilitator/sessions/{made.session_id}")
    click.echo("  Participant join links (one per person; open each in its own browser profile):")
    for url in made.join_urls:
        click.echo(f"    {url}")
    click.echo("")
    if not no_serve:
        run_server(host, port)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Run the server (HTTP and Socket.IO) on gunicorn, exactly as production does."""
    run_server(host, port)


def run_server(host: str, port: int) -> None:
    """Replace this process with gunicorn serving `service.wsgi:app` with deploy/gunicorn.conf.py.

    The CLI has imported the app unpatched, so serving happens in a fresh interpreter where the
    production entry point monkey-patches first. The environment (HEARTH_WORKER too) carries over.
    """
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(GUNICORN_CONFIG),
        "--bind",
        f"{host}:{port}",
        "service.wsgi:app",
    ]
    # Local use stops at once rather than wait for idle keep-alive connections.
    os.environ.setdefault("HEARTH_GRACEFUL_TIMEOUT", str(LOCAL_GRACEFUL_TIMEOUT_SECONDS))
    sys.stdout.flush()
    os.execv(sys.executable, command)
