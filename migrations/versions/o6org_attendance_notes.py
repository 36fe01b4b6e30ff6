"""agreement versions kept with attendance

Revision ID: o6org_attendance_notes
Revises: 7c301f3921f6
Create Date: 2026-12-01 21:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'o6org_attendance_notes'
down_revision = '7c301f3921f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_version', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_column('agreement_version')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('agreement_version')
