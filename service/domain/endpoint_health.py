"""Whether an organization's webhook endpoint is being reached, and telling the organization when not.

Every attempt to reach an endpoint counts (ordinary deliveries and the on-call policy's steps).
What is kept is the kind of the last error and its HTTP status, never a response body. An
endpoint that has failed every attempt for `down_after` (HEARTH_WEBHOOK_DOWN_SECONDS), at least
`DOWN_FAILURES` times in a row, is down: its organization is told once, and again after it was
reached once more. Each notice is recorded in the transaction that notices the change and kept
until it is sent or given up on, so neither a failing SMTP server nor a process that dies
before sending loses it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from service.domain.escalation import LASTING_ERRORS
from service.extensions import db
from service.i18n import N_
from service.models import EndpointNotice, WebhookEndpoint
from service.models.types import UTCDateTime

DOWN_FAILURES = 3
# A notice whose sending process died before it said how it went is tried again after this:
# longer than any try takes (an SMTP timeout for each of a policy's few addresses).
NOTICE_LEASE = timedelta(minutes=5)
# Words for the kinds of failure the delivery log records, for people.
ERROR_WORDS = {
    "http_status": N_("it answered with an error status"),
    "timeout": N_("it did not answer in time"),
    "connection_refused": N_("it refused the connection"),
    "dns_error": N_("its name could not be resolved"),
    "tls_error": N_("its TLS certificate or connection failed"),
    "address_not_allowed": N_("it is not a public address"),
    "connection_error": N_("the connection failed"),
}


@dataclass(frozen=True)
class Notice:
    """A notice claimed to be sent now: an endpoint went down, or came back, as it was when noticed."""

    id: uuid.UUID
    endpoint_id: uuid.UUID
    organization_id: uuid.UUID
    kind: str
    noticed_at: datetime
    tries: int
    name: str
    failing_since: datetime | None
    failures: int
    last_error: str | None
    last_status_code: int | None


def record(
    endpoint_id: uuid.UUID, ok: bool, error: str | None, status_code: int | None, now: datetime
) -> None:
    """Count one attempt to reach the endpoint (no commit); the configuration's `updated_at` stays."""
    at = sa.literal(now, UTCDateTime)
    if ok:
        values: dict[str, Any] = {
            "consecutive_failures": 0,
            "failing_since": None,
            "last_error": None,
            "last_status_code": status_code,
            "last_success_at": at,
        }
    else:
        values = {
            "consecutive_failures": WebhookEndpoint.consecutive_failures + 1,
            "failing_since": sa.func.coalesce(WebhookEndpoint.failing_since, at),
            "last_error": error,
            "last_status_code": status_code,
        }
    db.session.execute(
        sa.update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id)
        .values(**values, updated_at=WebhookEndpoint.updated_at)
        .execution_options(synchronize_session=False)
    )


def is_down(endpoint: WebhookEndpoint, now: datetime, down_after: timedelta) -> bool:
    """Whether every attempt has failed for long enough, and often enough, to call it down."""
    return (
        endpoint.failing_since is not None
        and endpoint.consecutive_failures >= DOWN_FAILURES
        and now - endpoint.failing_since >= down_after
    )


def status(endpoint: WebhookEndpoint, now: datetime, down_after: timedelta) -> str:
    """`untried`, `healthy`, `failing` (the last attempts failed) or `down`."""
    if endpoint.consecutive_failures:
        return "down" if is_down(endpoint, now, down_after) else "failing"
    return "healthy" if endpoint.last_success_at is not None else "untried"


def view(endpoint: WebhookEndpoint, now: datetime, down_after: timedelta) -> dict[str, Any]:
    """The endpoint's health as the API shows it."""
    told = endpoint.failure_notice_sent_at
    return {
        "status": status(endpoint, now, down_after),
        "failing_since": endpoint.failing_since.isoformat() if endpoint.failing_since else None,
        "consecutive_failures": endpoint.consecutive_failures,
        "last_error": endpoint.last_error,
        "last_status_code": endpoint.last_status_code,
        "last_success_at": endpoint.last_success_at.isoformat() if endpoint.last_success_at else None,
        "organization_told_at": told.isoformat() if told else None,
    }


def name_of(endpoint: WebhookEndpoint) -> str:
    """How people are shown an endpoint: its description and host, never its path or query."""
    host = urlsplit(endpoint.url).hostname or "?"
    return f"{endpoint.description} ({host})" if endpoint.description else host


def down_endpoints(organization_id: uuid.UUID, now: datetime, down_after: timedelta) -> list[WebhookEndpoint]:
    """The organization's enabled endpoints that are down, the longest down first."""
    failing = db.session.execute(
        db.select(WebhookEndpoint)
        .where(
            WebhookEndpoint.organization_id == organization_id,
            WebhookEndpoint.enabled.is_(True),
            WebhookEndpoint.failing_since.is_not(None),
        )
        .order_by(WebhookEndpoint.failing_since)
    ).scalars()
    return [endpoint for endpoint in failing if is_down(endpoint, now, down_after)]


def _claim(condition: sa.ColumnElement[bool], values: dict[str, Any]) -> list[WebhookEndpoint]:
    """The endpoints matching `condition` that this process changed with `values` first (no commit)."""
    candidates = db.session.execute(
        db.select(WebhookEndpoint.id).where(condition).limit(20).with_for_update(skip_locked=True)
    ).scalars()
    claimed = []
    for endpoint_id in list(candidates):
        won = db.session.execute(
            sa.update(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint_id, condition)
            .values(**values, updated_at=WebhookEndpoint.updated_at)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won:
            claimed.append(db.session.get(WebhookEndpoint, endpoint_id, populate_existing=True))
    return claimed


def _owe(endpoint: WebhookEndpoint, kind: str, now: datetime, follows: EndpointNotice | None) -> None:
    db.session.add(
        EndpointNotice(
            organization_id=endpoint.organization_id,
            endpoint_id=endpoint.id,
            kind=kind,
            noticed_at=now,
            follows_id=follows.id if follows else None,
            failing_since=endpoint.failing_since,
            failures=endpoint.consecutive_failures,
            last_error=endpoint.last_error,
            last_status_code=endpoint.last_status_code,
            next_try_at=now,
        )
    )


def _down_notice(endpoint_id: uuid.UUID, noticed_at: datetime) -> EndpointNotice | None:
    return db.session.execute(
        db.select(EndpointNotice).where(
            EndpointNotice.endpoint_id == endpoint_id,
            EndpointNotice.kind == "down",
            EndpointNotice.noticed_at == sa.literal(noticed_at, UTCDateTime),
        )
    ).scalar_one_or_none()


def notice_changes(now: datetime, down_after: timedelta) -> int:
    """Record the notice each endpoint that went down or came back is owed, once, and commit; how many."""
    down = sa.and_(
        WebhookEndpoint.enabled.is_(True),
        WebhookEndpoint.consecutive_failures >= DOWN_FAILURES,
        WebhookEndpoint.failing_since <= now - down_after,
        WebhookEndpoint.failure_notice_at.is_(None),
    )
    back = sa.and_(
        WebhookEndpoint.failure_notice_at.is_not(None),
        WebhookEndpoint.last_success_at > WebhookEndpoint.failure_notice_at,
    )
    owed = 0
    # Read before the claim clears them: which down notice a back notice follows, and whether
    # the organization was told it was down.
    was_down = {
        endpoint_id: (noticed_at, sent_at)
        for endpoint_id, noticed_at, sent_at in db.session.execute(
            db.select(
                WebhookEndpoint.id, WebhookEndpoint.failure_notice_at, WebhookEndpoint.failure_notice_sent_at
            ).where(back)
        )
    }
    for endpoint in _claim(back, {"failure_notice_at": None, "failure_notice_sent_at": None}):
        noticed_at, sent_at = was_down.get(endpoint.id, (None, None))
        follows = _down_notice(endpoint.id, noticed_at) if noticed_at else None
        # Only an organization told it was down is told it is back: the loop sends this one only
        # if the down notice it follows was sent (one told by an earlier version has none).
        if follows is not None or sent_at is not None:
            _owe(endpoint, "back", now, follows)
            owed += 1
    for endpoint in _claim(down, {"failure_notice_at": sa.literal(now, UTCDateTime)}):
        _owe(endpoint, "down", now, None)
        owed += 1
    db.session.commit()
    return owed


def _still_true(notice: EndpointNotice, endpoint: WebhookEndpoint | None) -> bool | None:
    """Whether the notice is still right to send (None: not yet known, its down notice is not settled)."""
    if endpoint is None:
        return False
    if notice.kind == "down":
        # Reached again before anyone was told: there is nothing to say any more.
        return endpoint.failure_notice_at == notice.noticed_at
    follows = db.session.get(EndpointNotice, notice.follows_id) if notice.follows_id else None
    if follows is None or follows.status == "sent":
        return True
    return None if follows.status == "pending" else False


def claim_due(now: datetime) -> list[Notice]:
    """Claim the notices due now for one try each, once across processes, and commit."""
    due = sa.and_(EndpointNotice.status == "pending", EndpointNotice.next_try_at <= now)
    candidates = db.session.execute(
        db.select(EndpointNotice)
        .where(due)
        .order_by(EndpointNotice.noticed_at)
        .limit(20)
        .with_for_update(skip_locked=True)
    ).scalars()
    claimed = []
    for notice in list(candidates):
        endpoint = db.session.get(WebhookEndpoint, notice.endpoint_id)
        true = _still_true(notice, endpoint)
        if true is None:
            continue
        if not true:
            notice.status, notice.next_try_at = "cancelled", None
            db.session.flush()
            continue
        won = db.session.execute(
            sa.update(EndpointNotice)
            .where(EndpointNotice.id == notice.id, due)
            .values(next_try_at=sa.literal(now + NOTICE_LEASE, UTCDateTime), tries=EndpointNotice.tries + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won:
            claimed.append(
                Notice(
                    notice.id,
                    notice.endpoint_id,
                    notice.organization_id,
                    notice.kind,
                    notice.noticed_at,
                    notice.tries + 1,
                    name_of(endpoint),
                    notice.failing_since,
                    notice.failures,
                    notice.last_error,
                    notice.last_status_code,
                )
            )
    db.session.commit()
    return claimed


def record_try(
    notice: Notice, failures: list[str], accepted: int, retry_at: datetime | None, now: datetime
) -> str:
    """Keep what came of one try and commit; the notice's status after it.

    Sent once any address accepted it; given up on with nobody to e-mail, with failures no retry
    mends, or with no `retry_at` left; else tried again at `retry_at`.
    """
    row = db.session.get_one(EndpointNotice, notice.id)
    row.try_error = failures[0] if failures else None
    if accepted:
        row.status, row.sent_at, row.next_try_at = "sent", now, None
    elif not failures or set(failures) <= LASTING_ERRORS or retry_at is None:
        row.status, row.next_try_at = "undelivered", None
    else:
        row.next_try_at = retry_at
    if notice.kind == "down" and row.status == "sent":
        db.session.execute(
            sa.update(WebhookEndpoint)
            .where(
                WebhookEndpoint.id == notice.endpoint_id,
                WebhookEndpoint.failure_notice_at == sa.literal(notice.noticed_at, UTCDateTime),
            )
            .values(
                failure_notice_sent_at=sa.literal(now, UTCDateTime), updated_at=WebhookEndpoint.updated_at
            )
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return row.status


def down_after_of(config: Mapping[str, Any]) -> timedelta:
    """How long an endpoint must fail every attempt to be down, from the app's settings."""
    return timedelta(seconds=config["HEARTH_WEBHOOK_DOWN_SECONDS"])
