"""on-call policy, escalation attempts and follow-up

Revision ID: fcae9da97483
Revises: e8f2a6c4exit
Create Date: 2026-12-01 21:08:03.704668

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fcae9da97483'
down_revision = 'e8f2a6c4exit'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('on_call_steps',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('endpoint_id', sa.Uuid(), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('ack_seconds', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['endpoint_id'], ['webhook_endpoints.id'], name=op.f('fk_on_call_steps_endpoint_id_webhook_endpoints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_on_call_steps_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_on_call_steps')),
    sa.UniqueConstraint('organization_id', 'position', name='uq_on_call_steps_position')
    )
    with op.batch_alter_table('on_call_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_on_call_steps_organization_id'), ['organization_id'], unique=False)

    op.create_table('escalation_attempts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('incident_id', sa.Uuid(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('endpoint_id', sa.Uuid(), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.String(length=32), nullable=True),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('attempted_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('ack_token_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_escalation_attempts_incident_id_incidents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_escalation_attempts_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_attempts')),
    sa.UniqueConstraint('ack_token_hash', name=op.f('uq_escalation_attempts_ack_token_hash'))
    )
    with op.batch_alter_table('escalation_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_escalation_attempts_incident', ['incident_id', 'attempted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalation_attempts_organization_id'), ['organization_id'], unique=False)

    with op.batch_alter_table('support_alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage', sa.String(length=16), server_default='on_call', nullable=False))
        batch_op.add_column(sa.Column('stage_started_at', sa.DateTime(), nullable=True))
    # An alert nobody has taken yet waits on the lead's deadline from when it was raised.
    op.execute(
        "UPDATE support_alerts SET stage = 'lead', stage_started_at = created_at"
        " WHERE taken_at IS NULL AND incident_id IS NULL"
    )

    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acknowledged_attempt_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('notification_status', sa.String(length=16), server_default='no_route', nullable=False))
        batch_op.add_column(sa.Column('next_step_position', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('next_step_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('step_claim', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('follow_up_due_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('follow_up_reminded_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_incidents_next_step', ['next_step_at'], unique=False)



def downgrade():
    with op.batch_alter_table('support_alerts', schema=None) as batch_op:
        batch_op.drop_column('stage_started_at')
        batch_op.drop_column('stage')

    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_next_step')
        batch_op.drop_column('follow_up_reminded_at')
        batch_op.drop_column('follow_up_due_at')
        batch_op.drop_column('step_claim')
        batch_op.drop_column('next_step_at')
        batch_op.drop_column('next_step_position')
        batch_op.drop_column('notification_status')
        batch_op.drop_column('acknowledged_attempt_id')

    with op.batch_alter_table('escalation_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_attempts_organization_id'))
        batch_op.drop_index('ix_escalation_attempts_incident')

    op.drop_table('escalation_attempts')
    with op.batch_alter_table('on_call_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_on_call_steps_organization_id'))

    op.drop_table('on_call_steps')
