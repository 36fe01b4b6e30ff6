"""A room nobody opened: every e-mail route of the on-call policy is told once, over real SMTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from service.delivery import oncall
from service.domain import unattended
from service.extensions import db
from service.live import clock
from service.models import CircleSession
from service.rooms import MemoryRoomStore
from tests.api.helpers import make_group, make_session
from tests.oncall.conftest import email_step, set_policy, webhook_step
from tests.realtime.conftest import add_facilitator

AFTER = timedelta(minutes=5)


def unopened(org, ago: timedelta = timedelta(minutes=6)) -> CircleSession:
    """A session of a group with a lead facilitator, begun `ago`, its room never opened."""
    group = make_group(org.id, title="Thursday evening circle")
    add_facilitator(group, "Robin")
    session = make_session(group, starts_in=-ago)
    session.created_at = datetime.now(UTC) - timedelta(days=7)
    db.session.commit()
    return session


def tick(now: datetime | None = None) -> clock.Tick:
    return clock.tick(MemoryRoomStore(), now or datetime.now(UTC), 120, AFTER)


def test_each_email_route_is_told_once(org, smtp, receiver):
    set_policy(
        org, email_step("first@example.org"), webhook_step(org, receiver), email_step("second@example.org")
    )
    session = unopened(org)
    assert tick().unattended == [str(session.id)]
    assert oncall.mail_unattended() == 1
    assert oncall.mail_unattended() == 0
    tick(datetime.now(UTC) + timedelta(seconds=5))
    assert oncall.mail_unattended() == 0
    messages = smtp.mailbox.messages
    assert sorted(m["To"] for m in messages) == ["first@example.org", "second@example.org"]
    text = messages[0].get_content()
    assert messages[0]["Subject"] == "Hearth: nobody has opened the room of Thursday evening circle"
    assert str(session.id) in text and "Robin (lead)" in text and "person-4711" not in text
    assert db.session.get(CircleSession, session.id).unattended_mail_at is None


def test_without_an_email_route_nothing_is_due(org, smtp):
    session = unopened(org)
    assert tick().unattended == [str(session.id)]
    assert db.session.get(CircleSession, session.id).unattended_mail_at is None
    assert oncall.mail_unattended() == 0 and smtp.mailbox.messages == []


def test_mail_a_dead_process_held_is_sent_after_its_lease(org, smtp):
    set_policy(org, email_step())
    session = unopened(org)
    tick()
    now = datetime.now(UTC)
    # A process claimed the e-mails and died before sending them.
    assert unattended.claim_mail(now, timedelta(seconds=70)) is not None
    assert oncall.mail_unattended(now + timedelta(seconds=10)) == 0
    assert oncall.mail_unattended(now + timedelta(seconds=71)) == 1
    assert [m["To"] for m in smtp.mailbox.messages] == ["on-call@example.org"]
    assert db.session.get(CircleSession, session.id).unattended_mail_at is None


def test_a_refused_email_is_tried_once_and_not_again(org, smtp):
    set_policy(org, email_step())
    unopened(org)
    tick()
    smtp.mailbox.refuse = True
    assert oncall.mail_unattended() == 1
    smtp.mailbox.refuse = False
    assert oncall.mail_unattended() == 0 and smtp.mailbox.messages == []
