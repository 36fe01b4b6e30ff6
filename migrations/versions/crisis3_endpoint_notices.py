"""endpoint notices: the e-mails owed about webhook endpoints down or back, kept until sent

Revision ID: crisis3_endpoint_notices
Revises: crisis2_reach_health
Create Date: 2026-12-02 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'crisis3_endpoint_notices'
down_revision = 'crisis2_reach_health'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('endpoint_notices',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('endpoint_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('noticed_at', sa.DateTime(), nullable=False),
    sa.Column('follows_id', sa.Uuid(), nullable=True),
    sa.Column('failing_since', sa.DateTime(), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=32), nullable=True),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('next_try_at', sa.DateTime(), nullable=True),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('try_error', sa.String(length=32), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['endpoint_id'], ['webhook_endpoints.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('endpoint_notices', schema=None) as batch_op:
        batch_op.create_index('ix_endpoint_notices_due', ['status', 'next_try_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_endpoint_notices_endpoint_id'), ['endpoint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_endpoint_notices_organization_id'), ['organization_id'], unique=False)
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failure_notice_sent_at', sa.DateTime(), nullable=True))
    # A notice that reached someone keeps its time; one whose sending never said how it went is
    # noticed again, and now recorded.
    op.execute(
        "UPDATE webhook_endpoints SET failure_notice_sent_at = failure_notice_at "
        "WHERE failure_notice_delivered"
    )
    op.execute("UPDATE webhook_endpoints SET failure_notice_at = NULL WHERE failure_notice_delivered IS NULL")
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.drop_column('failure_notice_delivered')


def downgrade():
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failure_notice_delivered', sa.Boolean(), nullable=True))
    op.execute(
        "UPDATE webhook_endpoints SET failure_notice_delivered = (failure_notice_sent_at IS NOT NULL) "
        "WHERE failure_notice_at IS NOT NULL"
    )
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.drop_column('failure_notice_sent_at')
    with op.batch_alter_table('endpoint_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endpoint_notices_organization_id'))
        batch_op.drop_index(batch_op.f('ix_endpoint_notices_endpoint_id'))
        batch_op.drop_index('ix_endpoint_notices_due')
    op.drop_table('endpoint_notices')
