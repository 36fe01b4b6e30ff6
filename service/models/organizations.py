"""Organizations and their API keys."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import db
from service.models.types import UTCDateTime, new_id, utcnow

# Days each kind of kept record is retained unless the organization chooses otherwise.
RETENTION_DEFAULTS = {
    "attendance": 730,
    "check_ins": 730,
    "incidents": 2190,
    "support_alerts": 90,
    "session_notes": 730,
    "audit_entries": 365,
    "webhook_deliveries": 30,
    "on_call_attempts": 365,
    "registrations": 365,
    "idempotency_keys": 1,
}


def _retention(kind: str) -> Mapped[int]:
    days = RETENTION_DEFAULTS[kind]
    return mapped_column(sa.Integer, default=days, server_default=str(days))


class Organization(db.Model):
    """An organization that runs circles: the boundary of all its data."""

    __tablename__ = "organizations"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(sa.String(200))
    default_region: Mapped[str | None] = mapped_column(sa.String(16))
    # Where "Exit now" leaves for: a neutral page; none means the deployment's HEARTH_EXIT_URL.
    exit_url: Mapped[str | None] = mapped_column(sa.String(2000))
    # How many days each kind of kept record stays before the purge removes it (see RETENTION_DEFAULTS).
    retain_attendance_days: Mapped[int] = _retention("attendance")
    retain_check_ins_days: Mapped[int] = _retention("check_ins")
    retain_incidents_days: Mapped[int] = _retention("incidents")
    retain_support_alerts_days: Mapped[int] = _retention("support_alerts")
    retain_session_notes_days: Mapped[int] = _retention("session_notes")
    retain_audit_entries_days: Mapped[int] = _retention("audit_entries")
    retain_webhook_deliveries_days: Mapped[int] = _retention("webhook_deliveries")
    retain_on_call_attempts_days: Mapped[int] = _retention("on_call_attempts")
    retain_registrations_days: Mapped[int] = _retention("registrations")
    retain_idempotency_keys_days: Mapped[int] = _retention("idempotency_keys")
    # Whether its groups relay media through TURN by default; none means the deployment's default.
    relay_media: Mapped[bool | None] = mapped_column(sa.Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiKey(db.Model):
    """A bearer key of one organization. Only a hash of the secret is kept."""

    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    prefix: Mapped[str] = mapped_column(sa.String(16))
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
