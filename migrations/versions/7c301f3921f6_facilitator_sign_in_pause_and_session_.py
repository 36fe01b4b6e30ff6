"""facilitator sign-in pause and session version

Revision ID: 7c301f3921f6
Revises: 5a7c0e11mood
Create Date: 2026-11-22 02:57:47.393453

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c301f3921f6'
down_revision = '5a7c0e11mood'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_sign_ins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('sign_in_paused_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))



def downgrade():
    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.drop_column('session_version')
        batch_op.drop_column('sign_in_paused_until')
        batch_op.drop_column('failed_sign_ins')

