"""what a person was last told of their alert's reach, and webhook endpoints' health and its notices

Revision ID: crisis2_reach_health
Revises: sec2_sealed_secrets
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'crisis2_reach_health'
down_revision = 'sec2_sealed_secrets'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failing_since', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('consecutive_failures', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_error', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('last_status_code', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_success_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('failure_notice_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('failure_notice_delivered', sa.Boolean(), nullable=True))
    with op.batch_alter_table('support_alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('told_reached', sa.String(length=24), nullable=True))


def downgrade():
    with op.batch_alter_table('support_alerts', schema=None) as batch_op:
        batch_op.drop_column('told_reached')
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.drop_column('failure_notice_delivered')
        batch_op.drop_column('failure_notice_at')
        batch_op.drop_column('last_success_at')
        batch_op.drop_column('last_status_code')
        batch_op.drop_column('last_error')
        batch_op.drop_column('consecutive_failures')
        batch_op.drop_column('failing_since')
