"""Groups: a recurring series of circles, and who facilitates it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.types import UTCDateTime, new_id, utcnow

FACILITATOR_ROLES = ("lead", "co")
GROUP_STATUSES = ("active", "archived")


class GroupFacilitator(db.Model):
    """A facilitator assigned to a group, as its lead or a co-facilitator."""

    __tablename__ = "group_facilitators"

    group_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    facilitator_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("facilitators.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(sa.String(8), default="lead")

    facilitator = relationship("Facilitator", lazy="joined")


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    topic: Mapped[str] = mapped_column(sa.String(100), default="")
    language: Mapped[str] = mapped_column(sa.String(35), default="en")
    timezone: Mapped[str] = mapped_column(sa.String(64))
    # The first occurrence, as a wall-clock time in `timezone` (no offset).
    first_start: Mapped[datetime] = mapped_column(sa.DateTime)
    recurrence: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    duration_minutes: Mapped[int] = mapped_column(sa.Integer, default=60)
    capacity: Mapped[int] = mapped_column(sa.Integer, default=8)
    waitlist_enabled: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    allowed_modes: Mapped[list[str]] = mapped_column(sa.JSON)
    chat_enabled: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    agreement: Mapped[list[str]] = mapped_column(sa.JSON)
    # Counts the agreement's texts: 1 at creation, one more at every change of its text.
    agreement_version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")
    lobby_opens_minutes: Mapped[int] = mapped_column(sa.Integer, default=10)
    region: Mapped[str | None] = mapped_column(sa.String(16))
    # Listed in the organization's public directory feed: only when the organization says so.
    public: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    # The organization's own page where people ask for a seat; the directory links to it.
    registration_url: Mapped[str | None] = mapped_column(sa.String(2000))
    # Whether media goes only through TURN (nobody learns another's address); none: the organization's.
    relay_media: Mapped[bool | None] = mapped_column(sa.Boolean)
    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    # Occurrences exist as session rows up to this instant.
    materialized_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped by every seat change so that concurrent registrations serialize on the row.
    seat_version: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    facilitator_links = relationship(
        "GroupFacilitator",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="GroupFacilitator.role.desc()",
    )
