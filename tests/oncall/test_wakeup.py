"""An incident with a route wakes this process's on-call loop once it is committed, not before."""

from __future__ import annotations

from service import wakeup
from service.extensions import db
from tests.oncall.conftest import email_step, set_policy
from tests.oncall.test_escalation import raise_incident


def test_a_committed_incident_wakes_the_on_call_loop(org):
    set_policy(org, email_step())
    woken = wakeup.event(wakeup.ON_CALL)
    woken.clear()
    raise_incident(org)
    assert woken.is_set()


def test_a_rolled_back_or_unroutable_incident_wakes_nobody(org, monkeypatch):
    woken = wakeup.event(wakeup.ON_CALL)
    woken.clear()
    # No route: nothing for the loop to try.
    raise_incident(org)
    assert not woken.is_set()
    set_policy(org, email_step())
    monkeypatch.setattr(db.session, "commit", db.session.flush)
    raise_incident(org)
    db.session.rollback()
    assert not woken.is_set()
