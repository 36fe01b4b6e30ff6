"""Check-in ratings kept for a group's anonymous aggregates after the person they came from is gone."""

from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import db
from service.models.types import new_id


class AnonymousRating(db.Model):
    """One attendance's ratings, with only its group and UTC month: no person, session or time.

    `contributor` is random, one per person and month, so that the aggregates still count five
    distinct people in a month; it is stored nowhere else and links no two months.
    """

    __tablename__ = "anonymous_ratings"
    __table_args__ = (sa.Index("ix_anonymous_ratings_group_month", "group_id", "month"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    # The first day of the UTC month of the session.
    month: Mapped[date] = mapped_column(sa.Date)
    contributor: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    check_in_rating: Mapped[int | None] = mapped_column(sa.SmallInteger)
    check_out_rating: Mapped[int | None] = mapped_column(sa.SmallInteger)
