"""retention settings, anonymous ratings kept for aggregates, and erasures

Revision ID: privacy_retention_erasure
Revises: org2_unattended_directory
Create Date: 2026-12-02 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'privacy_retention_erasure'
down_revision = 'org2_unattended_directory'
branch_labels = None
depends_on = None

RETENTION = (
    ('retain_attendance_days', 730),
    ('retain_check_ins_days', 730),
    ('retain_incidents_days', 2190),
    ('retain_support_alerts_days', 90),
    ('retain_session_notes_days', 730),
    ('retain_audit_entries_days', 365),
    ('retain_webhook_deliveries_days', 30),
    ('retain_on_call_attempts_days', 365),
    ('retain_registrations_days', 365),
    ('retain_idempotency_keys_days', 1),
)


def upgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        for column, days in RETENTION:
            batch_op.add_column(sa.Column(column, sa.Integer(), server_default=str(days), nullable=False))
    op.create_table('anonymous_ratings',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('contributor', sa.Uuid(), nullable=False),
    sa.Column('check_in_rating', sa.SmallInteger(), nullable=True),
    sa.Column('check_out_rating', sa.SmallInteger(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('anonymous_ratings', schema=None) as batch_op:
        batch_op.create_index('ix_anonymous_ratings_group_month', ['group_id', 'month'], unique=False)
        batch_op.create_index(batch_op.f('ix_anonymous_ratings_organization_id'), ['organization_id'], unique=False)
    op.create_table('erasures',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('api_key_id', sa.Uuid(), nullable=True),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('erased_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['api_key_id'], ['api_keys.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('erasures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasures_organization_id'), ['organization_id'], unique=False)


def downgrade():
    with op.batch_alter_table('erasures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasures_organization_id'))
    op.drop_table('erasures')
    with op.batch_alter_table('anonymous_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_anonymous_ratings_organization_id'))
        batch_op.drop_index('ix_anonymous_ratings_group_month')
    op.drop_table('anonymous_ratings')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        for column, _days in reversed(RETENTION):
            batch_op.drop_column(column)
