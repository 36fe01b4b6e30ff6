"""The `hearth` command line, built on Flask's CLI (so `hearth db upgrade` works too)."""

from __future__ import annotations

import json
import logging
import os

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from service.app import create_app
from service.domain.organizations import create_organization
from service.extensions import socketio


def _create_app():
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """Hearth: scheduled, facilitated peer support circles."""


@main.command("create-org")
@click.argument("name")
@click.option("--region", default=None, help="Default region for crisis resources, e.g. US.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@with_appcontext
def create_org(name: str, region: str | None, as_json: bool) -> None:
    """Create an organization and print its first API key (shown only this once)."""
    issued = create_organization(name, default_region=region)
    if as_json:
        click.echo(json.dumps({"organization_id": str(issued.key.organization_id), "api_key": issued.secret}))
        return
    click.echo(f"Organization {name!r} created: {issued.key.organization_id}")
    click.echo(f"API key (shown only this once): {issued.secret}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Run the server (HTTP and Socket.IO) for local use. Production runs gunicorn."""
    run_server(host, port)


def run_server(host: str, port: int) -> None:
    """Serve the current app with Socket.IO until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = current_app._get_current_object()
    # Flask refuses app.run() inside its CLI unless told this is the intended server.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    # Werkzeug's own access log prints client addresses and full paths (join tokens);
    # the app logs each request itself without them.
    socketio.run(
        app,
        host=host,
        port=port,
        log_output=False,
        allow_unsafe_werkzeug=True,
        use_reloader=False,
    )
