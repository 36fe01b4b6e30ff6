"""relay media through TURN: a group's setting and its organization's default

Revision ID: relay_media_relay
Revises: privacy_retention_erasure
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'relay_media_relay'
down_revision = 'privacy_retention_erasure'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('relay_media', sa.Boolean(), nullable=True))
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('relay_media', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('relay_media')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('relay_media')
