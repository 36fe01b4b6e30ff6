"""A demo organization with a circle that is live now, for trying Hearth locally."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from service.domain import facilitators, groups, registrations, sessions
from service.domain.modes import MODE_NAMES
from service.domain.organizations import create_organization
from service.extensions import db
from service.models import CircleSession
from service.schemas.groups import DEFAULT_AGREEMENT

DEMO_TIMEZONE = "Europe/London"
PARTICIPANTS = 3


@dataclass(frozen=True)
class Demo:
    """What a person needs to try the demo: links and credentials."""

    organization_id: uuid.UUID
    api_key: str
    facilitator_email: str
    facilitator_password: str
    group_id: uuid.UUID
    session_id: uuid.UUID
    join_urls: list[str]


def create_demo(
    base_url: str,
    horizon_weeks: int,
    now: datetime | None = None,
    *,
    participants: int = PARTICIPANTS,
    live: bool = True,
) -> Demo:
    """Create the demo organization, facilitator, group, session and registrations.

    The session began five minutes ago; with `live` it is already open, otherwise it waits
    for the facilitator to open the room.
    """
    now = now or datetime.now(UTC)
    issued = create_organization("Hearth demo", default_region="GB")
    organization_id = issued.key.organization_id
    facilitator, _link = facilitators.create_facilitator(
        organization_id, "Sam (demo facilitator)", f"sam+{uuid.uuid4().hex[:6]}@demo.hearth.invalid"
    )
    password = secrets.token_urlsafe(12)
    facilitators.set_password_with_token(
        facilitators.reissue_password_link(organization_id, facilitator.id).token, password
    )
    # The circle began five minutes ago and meets at this time every week.
    local_start = now.astimezone(ZoneInfo(DEMO_TIMEZONE)).replace(second=0, microsecond=0, tzinfo=None)
    local_start -= timedelta(minutes=5)
    first_instant = local_start.replace(tzinfo=ZoneInfo(DEMO_TIMEZONE)).astimezone(UTC)
    group = groups.create_group(
        organization_id,
        {
            "title": "Thursday evening circle (demo)",
            "description": "A calm hour to listen and be heard. This is a demo circle.",
            "topic": "Living with low mood",
            "language": "en",
            "timezone": DEMO_TIMEZONE,
            "first_start": local_start,
            "recurrence": {"frequency": "weekly"},
            "duration_minutes": 60,
            "capacity": 8,
            "waitlist_enabled": True,
            "allowed_modes": list(MODE_NAMES),
            "chat_enabled": True,
            "agreement": list(DEFAULT_AGREEMENT),
            "facilitators": [{"facilitator_id": facilitator.id, "role": "lead"}],
            "lobby_opens_minutes": 10,
            "region": "GB",
        },
        now=first_instant,
        horizon_weeks=horizon_weeks,
    )
    first = db.session.execute(
        db.select(CircleSession)
        .where(CircleSession.group_id == group.id)
        .order_by(CircleSession.starts_at)
        .limit(1)
    ).scalar_one()
    if live:
        sessions.start_session(organization_id, first.id, now)
    join_urls = [
        f"{base_url}/join/{registrations.register_for_group(organization_id, group.id).token}"
        for _ in range(participants)
    ]
    return Demo(
        organization_id=organization_id,
        api_key=issued.secret,
        facilitator_email=facilitator.email,
        facilitator_password=password,
        group_id=group.id,
        session_id=first.id,
        join_urls=join_urls,
    )
