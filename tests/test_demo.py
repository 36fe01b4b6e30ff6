"""The demo: a circle that is live now, with working links."""

from __future__ import annotations

from datetime import UTC, datetime

from service.demo import create_demo
from service.domain.passwords import verify_password
from service.extensions import db
from service.models import CircleSession, Facilitator


def test_demo_session_is_live_now_with_working_links(app, client):
    made = create_demo("http://hearth.test", horizon_weeks=13)
    session = db.session.get(CircleSession, made.session_id)
    now = datetime.now(UTC)
    assert session.status == "live"
    assert session.starts_at <= now < session.ends_at
    facilitator = db.session.execute(
        db.select(Facilitator).where(Facilitator.email == made.facilitator_email)
    ).scalar_one()
    assert verify_password(facilitator.password_hash, made.facilitator_password)
    assert len(made.join_urls) == 3
    for url in made.join_urls:
        page = client.get(url.removeprefix("http://hearth.test"))
        assert page.status_code == 200
        assert b"Thursday evening circle (demo)" in page.data
    sessions = client.get(
        f"/api/v1/groups/{made.group_id}/sessions", headers={"Authorization": f"Bearer {made.api_key}"}
    )
    assert sessions.status_code == 200
    assert sessions.json["items"][0]["status"] == "live"
