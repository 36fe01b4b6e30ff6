"""what a person was last told of their alert's reach

Revision ID: crisis2_reach_health
Revises: o6org_attendance_notes
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'crisis2_reach_health'
down_revision = 'o6org_attendance_notes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('support_alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('told_reached', sa.String(length=24), nullable=True))


def downgrade():
    with op.batch_alter_table('support_alerts', schema=None) as batch_op:
        batch_op.drop_column('told_reached')
