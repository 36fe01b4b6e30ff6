"""Seed the benchmark's database: rooms of eight with a facilitator, starting now, and their ways in.

Run with Hearth's production environment (`python -m bench.load.seed ROOMS OUT`), so that the
facilitators' sign-in cookies are signed with the key the server checks.
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade

from service import create_app
from service.config import Settings
from service.domain import facilitators, groups, registrations
from service.domain.modes import MODE_NAMES
from service.domain.organizations import create_organization
from service.extensions import db
from service.models import CircleSession
from service.schemas.groups import DEFAULT_AGREEMENT
from service.web.signin import remember_sign_in

SEATS_PER_ROOM = 8


def signed_cookie(app: Flask, facilitator: Any) -> str:
    """The `Cookie` header of a browser signed in as `facilitator`."""
    values: dict[str, Any] = {}
    remember_sign_in(values, facilitator)
    signed = app.session_interface.get_signing_serializer(app).dumps(values)
    return f"{app.config['SESSION_COOKIE_NAME']}={signed}"


def seed_room(app: Flask, organization_id: uuid.UUID, number: int, now: datetime) -> dict[str, Any]:
    """One circle whose session began five minutes ago: its id, its facilitator's cookie, eight join tokens.

    The session goes live when its facilitator opens the room, so the room clock of each run
    looks only at the rooms that run uses (and those of the runs before it).
    """
    facilitator, _link = facilitators.create_facilitator(
        organization_id, f"Facilitator {number}", f"facilitator-{number}-{uuid.uuid4().hex[:8]}@bench.invalid"
    )
    start = (now - timedelta(minutes=5)).replace(second=0, microsecond=0, tzinfo=None)
    group = groups.create_group(
        organization_id,
        {
            "title": f"Benchmark circle {number}",
            "description": "A calm hour to listen and be heard.",
            "topic": "Living with low mood",
            "language": "en",
            "region": "GB",
            "timezone": "UTC",
            "first_start": start,
            "recurrence": {"frequency": "weekly"},
            "duration_minutes": 180,
            "capacity": SEATS_PER_ROOM,
            "waitlist_enabled": False,
            "allowed_modes": list(MODE_NAMES),
            "chat_enabled": True,
            "agreement": list(DEFAULT_AGREEMENT),
            "facilitators": [{"facilitator_id": facilitator.id, "role": "lead"}],
            "lobby_opens_minutes": 10,
            "public": False,
            "registration_url": None,
        },
        now=start.replace(tzinfo=UTC),
        horizon_weeks=app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"],
    )
    first = (
        db.session.execute(
            db.select(CircleSession)
            .where(CircleSession.group_id == group.id)
            .order_by(CircleSession.starts_at)
        )
        .scalars()
        .first()
    )
    tokens = [
        registrations.register_for_group(organization_id, group.id).token for _ in range(SEATS_PER_ROOM)
    ]
    return {"session_id": str(first.id), "cookie": signed_cookie(app, facilitator), "tokens": tokens}


def seed(rooms: int) -> dict[str, Any]:
    """Migrate the database named by DATABASE_URL and seed `rooms` circles in one organization."""
    app = create_app(Settings.from_environ())
    with app.app_context():
        upgrade()
        issued = create_organization("Benchmark peer support", default_region="GB")
        organization_id = issued.key.organization_id
        now = datetime.now(UTC)
        seeded = [seed_room(app, organization_id, number, now) for number in range(rooms)]
        db.session.remove()
        db.engine.dispose()
    return {"api_key": issued.secret, "rooms": seeded}


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(json.dumps(seed(int(sys.argv[1]))))
