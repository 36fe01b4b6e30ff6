"""Remembered results of create requests sent with an Idempotency-Key."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import db
from service.models.types import UTCDateTime, new_id, utcnow


class IdempotencyRecord(db.Model):
    __tablename__ = "idempotency_records"
    __table_args__ = (sa.UniqueConstraint("organization_id", "key"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(255))
    endpoint: Mapped[str] = mapped_column(sa.String(300))
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    # Unset while the first request is still being handled.
    status_code: Mapped[int | None] = mapped_column(sa.Integer)
    response_body: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
