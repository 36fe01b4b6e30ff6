"""The migrations build the same schema as the models, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from service import create_app
from service.config import Settings
from service.domain.organizations import create_organization
from service.extensions import db
from service.models import Attendance, Facilitator
from tests.api.attendance_rows import attend, facilitator_attends
from tests.api.helpers import make_group, make_session


def _schema_differences(database_url: str) -> list:
    app = create_app(Settings.from_environ(), SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        downgrade(revision="base")
        with db.engine.connect() as conn:
            remaining = set(db.inspect(conn).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert remaining == set(), "downgrade to base leaves tables behind"
    return differences


def test_migrations_match_models_on_sqlite(tmp_path):
    assert _schema_differences(f"sqlite:///{tmp_path / 'migrated.db'}") == []


@pytest.mark.postgres
def test_migrations_match_models_on_postgresql(postgres_database):
    assert _schema_differences(postgres_database) == []


def _twins_merged_and_restored(database_url: str) -> None:
    """A person's rows written twice before the unique key: merged by the upgrade, left so by downgrade."""
    app = create_app(Settings.from_environ(), SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade(revision="crisis3_endpoint_notices")
        organization_id = create_organization("Riverside Peer Support").key.organization_id
        session = make_session(make_group(organization_id))
        facilitator = Facilitator(organization_id=organization_id, name="Robin", email="robin@example.org")
        db.session.add(facilitator)
        db.session.commit()
        first = attend(session, check_in=3)
        # The same person seated twice at once, by two processes: the second row is still open.
        twin = attend(session, registration=first.registration)
        twin.left_at, twin.mode, twin.joined_at = None, "listen_only", first.joined_at + timedelta(minutes=1)
        other = attend(session, external_ref="person-4712")
        for _ in range(2):
            facilitator_attends(session, facilitator)
        db.session.commit()
        first_id, other_id, facilitator_id = first.id, other.id, facilitator.id
        db.session.remove()

        upgrade()
        rows = db.session.execute(db.select(Attendance).order_by(Attendance.joined_at)).scalars().all()
        merged = next(row for row in rows if row.id == first_id)
        assert sorted(str(row.id) for row in rows if row.registration_id) == sorted(
            [str(first_id), str(other_id)]
        )
        assert [row.facilitator_id for row in rows].count(facilitator_id) == 1
        assert (merged.mode, merged.left_at, merged.check_in_rating) == ("listen_only", None, 3)
        assert merged.agreement_accepted_at is not None
        db.session.remove()

        downgrade(revision="crisis3_endpoint_notices")
        with db.engine.connect() as conn:
            indexes = {index["name"]: index["unique"] for index in db.inspect(conn).get_indexes("attendance")}
            assert conn.execute(sa.text("SELECT count(*) FROM attendance")).scalar_one() == 3
        assert indexes["ix_attendance_session_registration"] in (False, 0)
        assert "ix_attendance_session_facilitator" not in indexes
        downgrade(revision="base")
        db.engine.dispose()


def test_attendance_written_twice_is_merged_by_the_migration_on_sqlite(tmp_path):
    _twins_merged_and_restored(f"sqlite:///{tmp_path / 'twins.db'}")


@pytest.mark.postgres
def test_attendance_written_twice_is_merged_by_the_migration_on_postgresql(postgres_database):
    _twins_merged_and_restored(postgres_database)
