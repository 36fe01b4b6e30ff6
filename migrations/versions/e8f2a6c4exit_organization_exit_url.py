"""organization exit url

Revision ID: e8f2a6c4exit
Revises: 7c301f3921f6
Create Date: 2026-12-01 21:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e8f2a6c4exit'
down_revision = '7c301f3921f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exit_url', sa.String(length=2000), nullable=True))


def downgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('exit_url')
