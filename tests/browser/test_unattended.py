"""A facilitator who does not come, as the person waiting sees it in a real browser."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from service.extensions import db
from service.models import CircleSession
from tests.browser.helpers import axe_serious, screenshot, sign_in
from tests.browser.room_helpers import WAIT_MS, Host, get_ready, in_room

pytestmark = pytest.mark.slow


def made_long_ago(server_app, session_id: str) -> None:
    """As if the session had been scheduled weeks ago: the server's own clock then sees it unopened."""
    with server_app.app_context():
        session = db.session.get(CircleSession, uuid.UUID(session_id))
        session.created_at = datetime.now(UTC) - timedelta(days=7)
        db.session.commit()


def test_the_lobby_says_kindly_that_the_facilitator_has_not_come_until_they_do(
    make_circle, open_page, server_app
):
    circle = make_circle(participants=1)
    page = open_page()
    get_ready(page, circle.join_links[0], "Sam", "listen_only")
    notice = page.locator("[data-unattended]")
    assert notice.is_hidden()
    # The demo circle began five minutes ago; the room clock of the server notices within a second.
    made_long_ago(server_app, circle.session_id)
    notice.wait_for(state="visible", timeout=WAIT_MS)
    assert "has not arrived yet" in notice.inner_text()
    assert notice.get_attribute("role") == "status"
    screenshot(page, "lobby-unattended")
    assert axe_serious(page) == []

    # A reload shows it at once, rendered by the server, and the seat waits in the lobby again.
    page.reload()
    assert page.locator("[data-unattended]").is_visible()
    page.locator('[data-step="lobby"]').wait_for(timeout=WAIT_MS)

    host_page = open_page()
    sign_in(host_page, circle)
    host = Host(host_page, circle.session_id)
    assert host.send("room:open") == {"ok": True}
    page.locator("[data-unattended]").wait_for(state="hidden", timeout=WAIT_MS)
    host.admit_all()
    in_room(page)
    assert page.locator("[data-unattended]").is_hidden()
