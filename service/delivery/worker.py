"""The delivery worker: claim due deliveries from the database, POST them, record each attempt.

Everything it knows lives in the database, so a restart loses nothing, and several server
processes may run it at once: a delivery is claimed with a lease before it is sent, and a
claim whose process died runs out and makes the delivery due again.
"""

from __future__ import annotations

import logging
import random
import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.exc import InterfaceError, OperationalError

from service.delivery import schedule, sender
from service.delivery.sender import Outcome
from service.delivery.signing import SECRET_UNREADABLE, signed_headers_for
from service.domain import endpoint_health
from service.extensions import db
from service.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, utcnow

log = logging.getLogger("hearth.webhooks")
_start_lock = threading.Lock()
# Claims outlast the slowest attempt by a wide margin before another worker may take over.
LEASE_MARGIN = timedelta(seconds=60)
# One pass delivers at most this many, so a backlog never starves the loop's error handling.
PASS_LIMIT = 100

Send = Callable[[str, dict[str, str], str], Outcome]


@dataclass(frozen=True)
class Claim:
    delivery_id: uuid.UUID
    token: str


def claim_next(now: datetime, lease: timedelta) -> Claim | None:
    """Take the most overdue pending delivery for this worker until `now + lease`, and commit."""
    # SKIP LOCKED lets PostgreSQL workers pass over each other's rows (SQLite ignores it and
    # serializes writers); the conditional update is the claim itself on both.
    candidates = db.session.execute(
        sa.select(WebhookDelivery.id)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(
            WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at <= now,
            WebhookEndpoint.enabled.is_(True),
        )
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(5)
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    ).scalars()
    for delivery_id in list(candidates):
        token = secrets.token_hex(16)
        claimed = db.session.execute(
            sa.update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= now,
            )
            .values(next_attempt_at=now + lease, claim_token=token)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            db.session.commit()
            return Claim(delivery_id, token)
    db.session.commit()
    return None


def record_attempt(
    claim: Claim, outcome: Outcome, now: datetime, rand: Callable[[], float] = random.random
) -> None:
    """Log the attempt and, while the claim still holds, decide what becomes of the delivery."""
    # Locked, so a redeliver at the same moment is not overwritten by this outcome.
    delivery = db.session.get(
        WebhookDelivery, claim.delivery_id, populate_existing=True, with_for_update=True
    )
    if delivery is None:  # its endpoint was deleted meanwhile
        db.session.rollback()
        return
    db.session.add(
        WebhookAttempt(
            delivery_id=claim.delivery_id,
            attempted_at=now,
            duration_ms=outcome.duration_ms,
            status_code=outcome.status_code,
            error=outcome.error,
            response_excerpt=outcome.response_excerpt,
        )
    )
    delivery.attempt_count += 1
    delivery.last_attempt_at = now
    endpoint_health.record(delivery.endpoint_id, outcome.ok, outcome.error, outcome.status_code, now)
    if delivery.claim_token == claim.token:
        delivery.claim_token = None
        if outcome.ok:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
        else:
            retry_at = schedule.next_attempt(delivery.retry_started_at, now, delivery.retry_step, rand)
            if retry_at is None:
                delivery.status, delivery.failed_at, delivery.next_attempt_at = "failed", now, None
            else:
                delivery.next_attempt_at = retry_at
                delivery.retry_step += 1
    db.session.commit()


def default_send() -> Send:
    """POST with the app's timeout, to public addresses only unless the app allows others."""
    return partial(
        sender.post,
        timeout=current_app.config["HEARTH_WEBHOOK_TIMEOUT_SECONDS"],
        public_only=not current_app.config["WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"],
    )


def attempt(claim: Claim, now: datetime, send: Send) -> Outcome | None:
    """Sign and send one claimed delivery, then record the attempt; None if it is gone."""
    delivery = db.session.get(WebhookDelivery, claim.delivery_id)
    endpoint = delivery and db.session.get(WebhookEndpoint, delivery.endpoint_id)
    if endpoint is None:  # deleted since the claim
        db.session.rollback()
        return None
    url, message_id, body = endpoint.url, delivery.event.id, delivery.event.body
    headers = signed_headers_for(endpoint, message_id, int(now.timestamp()), body)
    # No transaction stays open while the receiver takes its time.
    db.session.commit()
    outcome = send(url, headers, body) if headers else Outcome(duration_ms=0, error=SECRET_UNREADABLE)
    record_attempt(claim, outcome, now)
    log.info(
        "webhook delivery %s attempt: %s",
        claim.delivery_id,
        outcome.status_code if outcome.status_code is not None else outcome.error,
    )
    return outcome


def deliver_due(now: datetime | None = None, *, send: Send | None = None, limit: int = PASS_LIMIT) -> int:
    """Attempt every delivery due at `now` (the current time when not given); returns how many."""
    send = send or default_send()
    lease = timedelta(seconds=current_app.config["HEARTH_WEBHOOK_TIMEOUT_SECONDS"]) + LEASE_MARGIN
    attempted = 0
    while attempted < limit:
        at = now or utcnow()
        claim = claim_next(at, lease)
        if claim is None:
            break
        attempt(claim, at, send)
        attempted += 1
    return attempted


def run_forever(app: Flask, interval: float, sleep: Callable[[float], None]) -> None:
    """Deliver what is due, wait `interval` seconds, and again, until the process ends."""
    while True:
        with app.app_context():
            try:
                deliver_due()
            except (OperationalError, InterfaceError) as error:
                # The database is away (restarting, failing over): say so once a pass, no trace.
                db.session.rollback()
                log.warning("webhook delivery waits for the database: %s", type(error.orig).__name__)
            except Exception:
                # One failed pass must not stop the next one.
                db.session.rollback()
                log.exception("webhook delivery pass failed")
            finally:
                db.session.remove()
        sleep(interval)


def start_worker(app: Flask) -> bool:
    """Start this process's delivery worker on the app's Socket.IO, once; False when disabled."""
    interval = app.config["HEARTH_WEBHOOK_POLL_SECONDS"]
    socketio = app.extensions["socketio"]
    with _start_lock:
        if not interval or "hearth_webhook_worker" in app.extensions:
            return False
        app.extensions["hearth_webhook_worker"] = socketio.start_background_task(
            run_forever, app, interval, socketio.sleep
        )
    return True
