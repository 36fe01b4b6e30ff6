"""unattended sessions, and groups listed in the public directory

Revision ID: org2_unattended_directory
Revises: o6org_attendance_notes
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'org2_unattended_directory'
down_revision = 'o6org_attendance_notes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('registration_url', sa.String(length=2000), nullable=True))
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unattended_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('unattended_mail_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_sessions_unattended_mail_at'), ['unattended_mail_at'], unique=False)


def downgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_unattended_mail_at'))
        batch_op.drop_column('unattended_mail_at')
        batch_op.drop_column('unattended_at')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('registration_url')
        batch_op.drop_column('public')
