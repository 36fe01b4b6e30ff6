"""check-in and check-out ratings on attendance

Revision ID: 5a7c0e11mood
Revises: c3a7d1e5moderation
Create Date: 2026-11-23 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7c0e11mood'
down_revision = 'c3a7d1e5moderation'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('check_in_rating', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('check_out_rating', sa.SmallInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_column('check_out_rating')
        batch_op.drop_column('check_in_rating')
