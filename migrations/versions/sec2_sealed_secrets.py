"""webhook signing secrets sealed at rest; sign-in pauses per account dropped

Revision ID: sec2_sealed_secrets
Revises: relay_media_relay
Create Date: 2026-12-02 00:10:00.000000

Sealing needs the deployment's key (HEARTH_DATA_KEY, else SECRET_KEY): run it with the
settings the service runs with. Downgrading opens every secret again with the same key.
"""
from alembic import op
import sqlalchemy as sa

from service.sealing import seal, sealing_key, unseal


# revision identifiers, used by Alembic.
revision = 'sec2_sealed_secrets'
down_revision = 'relay_media_relay'
branch_labels = None
depends_on = None

HINT_LENGTH = len("whsec_") + 4


def _context(endpoint_id):
    # As service.domain.webhooks.secret_context: a sealed secret is bound to its own row.
    return b"webhook_endpoints.sealed_secret:" + endpoint_id.bytes


def _endpoints(*columns):
    return sa.table('webhook_endpoints', sa.column('id', sa.Uuid()), *(sa.column(c, sa.String()) for c in columns))


def upgrade():
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_secret', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('secret_hint', sa.String(length=16), nullable=True))
    connection = op.get_bind()
    endpoints = _endpoints('secret', 'sealed_secret', 'secret_hint')
    key = sealing_key()
    for endpoint_id, secret in connection.execute(sa.select(endpoints.c.id, endpoints.c.secret)).all():
        connection.execute(
            endpoints.update()
            .where(endpoints.c.id == endpoint_id)
            .values(sealed_secret=seal(key, secret, _context(endpoint_id)), secret_hint=secret[:HINT_LENGTH])
        )
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.alter_column('sealed_secret', existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column('secret_hint', existing_type=sa.String(length=16), nullable=False)
        batch_op.drop_column('secret')
    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.drop_column('sign_in_paused_until')
        batch_op.drop_column('failed_sign_ins')


def downgrade():
    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_sign_ins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('sign_in_paused_until', sa.DateTime(), nullable=True))
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secret', sa.String(length=200), nullable=True))
    connection = op.get_bind()
    endpoints = _endpoints('secret', 'sealed_secret')
    key = sealing_key()
    for endpoint_id, sealed in connection.execute(sa.select(endpoints.c.id, endpoints.c.sealed_secret)).all():
        connection.execute(
            endpoints.update()
            .where(endpoints.c.id == endpoint_id)
            .values(secret=unseal(key, sealed, _context(endpoint_id)))
        )
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.alter_column('secret', existing_type=sa.String(length=200), nullable=False)
        batch_op.drop_column('secret_hint')
        batch_op.drop_column('sealed_secret')
