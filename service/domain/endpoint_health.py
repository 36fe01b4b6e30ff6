"""Whether an organization's webhook endpoint is being reached, and telling the organization when not.

Every attempt to reach an endpoint counts (ordinary deliveries and the on-call policy's steps).
What is kept is the kind of the last error and its HTTP status, never a response body. An
endpoint that has failed every attempt for `down_after` (HEARTH_WEBHOOK_DOWN_SECONDS), at least
`DOWN_FAILURES` times in a row, is down: its organization is told once, and again after it was
reached once more.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from service.extensions import db
from service.i18n import N_
from service.models import WebhookEndpoint
from service.models.types import UTCDateTime

DOWN_FAILURES = 3
# A notice whose sending process died before it said how it went is sent again after this.
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
    """An endpoint the organization is to be told about now: it went down, or it came back."""

    endpoint_id: uuid.UUID
    organization_id: uuid.UUID
    kind: str
    claimed_at: datetime
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
    told = endpoint.failure_notice_at if endpoint.failure_notice_delivered else None
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


def _notice(endpoint: WebhookEndpoint, kind: str, now: datetime) -> Notice:
    return Notice(
        endpoint.id,
        endpoint.organization_id,
        kind,
        now,
        name_of(endpoint),
        endpoint.failing_since,
        endpoint.consecutive_failures,
        endpoint.last_error,
        endpoint.last_status_code,
    )


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


def claim_notices(now: datetime, down_after: timedelta) -> list[Notice]:
    """Claim every notice due now, once across processes, and commit: endpoints down, endpoints back."""
    at = sa.literal(now, UTCDateTime)
    down = sa.and_(
        WebhookEndpoint.enabled.is_(True),
        WebhookEndpoint.consecutive_failures >= DOWN_FAILURES,
        WebhookEndpoint.failing_since <= now - down_after,
        sa.or_(
            WebhookEndpoint.failure_notice_at.is_(None),
            sa.and_(
                WebhookEndpoint.failure_notice_delivered.is_(None),
                WebhookEndpoint.failure_notice_at <= now - NOTICE_LEASE,
            ),
        ),
    )
    # Only an organization that was told it was down is told it is back.
    back = sa.and_(
        WebhookEndpoint.failure_notice_at.is_not(None),
        WebhookEndpoint.last_success_at > WebhookEndpoint.failure_notice_at,
    )
    told_back = sa.and_(back, WebhookEndpoint.failure_notice_delivered.is_(True))
    afresh = {"failure_notice_at": None, "failure_notice_delivered": None}
    notices = [_notice(e, "back", now) for e in _claim(told_back, afresh)]
    # Back before anyone was told (or nobody could be): nothing to say, start afresh.
    _claim(back, afresh)
    notices += [
        _notice(e, "down", now)
        for e in _claim(down, {"failure_notice_at": at, "failure_notice_delivered": None})
    ]
    db.session.commit()
    return notices


def record_notice(notice: Notice, delivered: bool) -> None:
    """Keep whether a down notice reached anyone (unless the endpoint came back meanwhile), and commit."""
    if notice.kind == "down":
        db.session.execute(
            sa.update(WebhookEndpoint)
            .where(
                WebhookEndpoint.id == notice.endpoint_id,
                WebhookEndpoint.failure_notice_at == sa.literal(notice.claimed_at, UTCDateTime),
            )
            .values(failure_notice_delivered=delivered, updated_at=WebhookEndpoint.updated_at)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def down_after_of(config: Mapping[str, Any]) -> timedelta:
    """How long an endpoint must fail every attempt to be down, from the app's settings."""
    return timedelta(seconds=config["HEARTH_WEBHOOK_DOWN_SECONDS"])
