"""Crisis lines and warmlines an organization adds for its people, per region."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import db
from service.models.types import UTCDateTime, new_id, utcnow

RESOURCE_KINDS = ("crisis", "warmline")
CONTACT_CHANNELS = ("call", "text", "chat", "web")


class CrisisResource(db.Model):
    """One of the organization's own resources, shown before the directory's for its region."""

    __tablename__ = "crisis_resources"
    __table_args__ = (sa.Index("ix_crisis_resources_organization_region", "organization_id", "region"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(16))
    region: Mapped[str] = mapped_column(sa.String(16))
    # [{"channel": "call" | "text" | "chat" | "web", "value": str, "note": str | None}]
    contacts: Mapped[list[dict]] = mapped_column(sa.JSON)
    hours: Mapped[str] = mapped_column(sa.String(200))
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    source: Mapped[str] = mapped_column(sa.String(2000))
    checked_on: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
