"""The shared fixtures keep tests apart: commits stay in the test, config and rooms start fresh.

The last test relies on running after the others in this module (pytest keeps file order).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from service.domain.organizations import create_organization
from service.extensions import db
from service.live.access import Member
from service.models import Organization


def _organizations_seen_by_another_connection() -> int:
    with db.engine.connect() as other:
        return other.execute(sa.select(sa.func.count()).select_from(Organization)).scalar_one()


def _member(session_id: str) -> Member:
    now = datetime.now(UTC)
    return Member(session_id, uuid.uuid4(), "p-1", "participant", None, None, None, (), True, (), now, now)


def _organizations() -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(Organization)).scalar_one()


def test_a_commit_is_seen_by_the_test_and_kept_from_every_other_connection(app):
    create_organization("Riverside Peer Support", default_region="US")
    db.session.rollback()
    assert _organizations() == 1
    assert _organizations_seen_by_another_connection() == 0
    app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"] = 99
    app.extensions["hearth_rooms"].ensure_room("left-behind")
    app.extensions["hearth_members"]["left-behind"] = _member("left-behind")


@pytest.mark.real_commits
def test_a_real_commit_is_seen_by_another_connection(app):
    create_organization("Elsewhere Wellbeing", default_region="US")
    assert _organizations_seen_by_another_connection() == 1


def test_the_next_test_starts_with_nothing_the_others_left(app):
    assert _organizations() == 0
    assert app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"] != 99
    assert app.extensions["hearth_rooms"].snapshot("left-behind") is None
    assert app.extensions["hearth_members"] == {}
