"""`hearth deliver-webhooks`: the worker run on its own."""

from __future__ import annotations

from click.testing import CliRunner
from flask.cli import ScriptInfo

from service.cli import main
from service.domain import outbox
from service.extensions import db
from tests.webhooks.conftest import add_issued_endpoint
from tests.webhooks.receiver import verify


def _run(app, *args: str):
    return CliRunner().invoke(main, ["deliver-webhooks", *args], obj=ScriptInfo(create_app=lambda: app))


def test_once_delivers_what_is_due_and_exits(app, org, receiver):
    issued = add_issued_endpoint(org.id, url=receiver.url)
    receiver.start()
    outbox.enqueue(org.id, "session.ended", {"session_id": "s1"})
    db.session.commit()
    result = _run(app, "--once")
    assert result.exit_code == 0, result.output
    assert "Attempted 1 webhook delivery(s)." in result.output
    assert len(receiver.received) == 1 and verify(issued.secret, receiver.received[0])
    assert "Attempted 0" in _run(app, "--once").output


def test_an_interval_below_a_tenth_of_a_second_is_refused(app):
    result = _run(app, "--interval", "0")
    assert result.exit_code == 2 and "--interval" in result.output
