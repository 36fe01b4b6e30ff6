"""attendance once per person and session (a unique key the room's upsert writes on); sessions by status

Revision ID: seat1_attendance_once
Revises: crisis3_endpoint_notices
Create Date: 2026-12-02 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'seat1_attendance_once'
down_revision = 'crisis3_endpoint_notices'
branch_labels = None
depends_on = None


def _attendance(person: str) -> sa.TableClause:
    return sa.table(
        'attendance',
        sa.column('id', sa.Uuid()),
        sa.column('session_id', sa.Uuid()),
        sa.column(person, sa.Uuid()),
        sa.column('mode', sa.String()),
        sa.column('joined_at', sa.DateTime()),
        sa.column('left_at', sa.DateTime()),
        sa.column('agreement_accepted_at', sa.DateTime()),
        sa.column('agreement_version', sa.Integer()),
        sa.column('check_in_rating', sa.SmallInteger()),
        sa.column('check_out_rating', sa.SmallInteger()),
    )


def _merge_twins(person: str) -> None:
    """Fold a person's extra rows of one session into their first, then delete the extras.

    Two server processes seating the same person at the same moment could each write a row.
    The first arrival's row stays (its joined_at is when they joined); it takes the latest way
    of taking part, no departure while any row was still open (else the last one), the latest
    acceptance with its version, and the latest ratings given.
    """
    bind = op.get_bind()
    table = _attendance(person)
    column = table.c[person]
    twice = bind.execute(
        sa.select(table.c.session_id, column)
        .where(column.is_not(None))
        .group_by(table.c.session_id, column)
        .having(sa.func.count() > 1)
    ).all()
    for session_id, person_id in twice:
        rows = bind.execute(
            sa.select(table)
            .where(table.c.session_id == session_id, column == person_id)
            .order_by(table.c.joined_at, table.c.id)
        ).mappings().all()
        first, accepted = rows[0], [row for row in rows if row['agreement_accepted_at'] is not None]
        still_open = any(row['left_at'] is None for row in rows)
        latest_acceptance = max(accepted, key=lambda row: row['agreement_accepted_at']) if accepted else first
        merged = {
            'mode': rows[-1]['mode'],
            'left_at': None if still_open else max(row['left_at'] for row in rows),
            'agreement_accepted_at': latest_acceptance['agreement_accepted_at'],
            'agreement_version': latest_acceptance['agreement_version'],
        }
        for rating in ('check_in_rating', 'check_out_rating'):
            given = [row[rating] for row in rows if row[rating] is not None]
            merged[rating] = given[-1] if given else None
        bind.execute(sa.update(table).where(table.c.id == first['id']).values(**merged))
        bind.execute(sa.delete(table).where(table.c.id.in_([row['id'] for row in rows[1:]])))


def upgrade():
    _merge_twins('registration_id')
    _merge_twins('facilitator_id')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_session_registration')
        batch_op.create_index('ix_attendance_session_registration', ['session_id', 'registration_id'], unique=True)
        batch_op.create_index('ix_attendance_session_facilitator', ['session_id', 'facilitator_id'], unique=True)
    # The room clock looks every second for scheduled sessions nobody opened (and for live ones).
    op.create_index('ix_sessions_status_starts', 'sessions', ['status', 'starts_at'], unique=False)


def downgrade():
    # Rows merged by the upgrade stay merged.
    op.drop_index('ix_sessions_status_starts', table_name='sessions')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_session_facilitator')
        batch_op.drop_index('ix_attendance_session_registration')
        batch_op.create_index('ix_attendance_session_registration', ['session_id', 'registration_id'], unique=False)
