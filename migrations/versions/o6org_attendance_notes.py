"""agreement versions kept with attendance, and session notes

Revision ID: o6org_attendance_notes
Revises: fcae9da97483
Create Date: 2026-12-01 21:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'o6org_attendance_notes'
down_revision = 'fcae9da97483'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_version', sa.Integer(), nullable=True))
    op.create_table('session_notes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('facilitator_id', sa.Uuid(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['facilitator_id'], ['facilitators.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('session_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_notes_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_session_notes_session_created', ['session_id', 'created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('session_notes', schema=None) as batch_op:
        batch_op.drop_index('ix_session_notes_session_created')
        batch_op.drop_index(batch_op.f('ix_session_notes_organization_id'))
    op.drop_table('session_notes')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_column('agreement_version')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('agreement_version')
