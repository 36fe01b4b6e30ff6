"""The migrations build the same schema as the models, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from service import create_app
from service.config import Settings
from service.extensions import db


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
