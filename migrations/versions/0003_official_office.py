"""every official belongs to exactly one office

Revision ID: 0003
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_account_office_id'), ['office_id'], unique=False)
        batch_op.create_foreign_key('fk_account_office_id', 'office', ['office_id'], ['id'])
    assign_offices(op.get_bind())


def assign_offices(conn) -> None:
    """Existing officials: the office whose unit tree holds their unit, else the office where they hold
    rights, else their creator's office, else the first office. Rights held elsewhere are dropped
    (an official works in one office only)."""
    offices = conn.execute(sa.text("SELECT id, unit_id FROM office ORDER BY id")).all()
    if not offices:
        return
    parent = dict(conn.execute(sa.text("SELECT id, parent_id FROM unit")).all())
    office_of_unit = {unit_id: office_id for office_id, unit_id in offices}

    def by_unit(unit_id):
        seen = set()
        while unit_id is not None and unit_id not in seen:
            if unit_id in office_of_unit:
                return office_of_unit[unit_id]
            seen.add(unit_id)
            unit_id = parent.get(unit_id)
        return None

    grants: dict = {}
    for account_id, office_id in conn.execute(sa.text(
            "SELECT account_id, MIN(office_id) FROM rightgrant GROUP BY account_id")).all():
        grants[account_id] = office_id
    rows = conn.execute(sa.text(
        "SELECT id, unit_id, created_by_id FROM account WHERE kind = 'official' ORDER BY id")).all()
    chosen: dict = {}
    for account_id, unit_id, _created_by in rows:
        chosen[account_id] = by_unit(unit_id) or grants.get(account_id)
    for account_id, _unit_id, created_by in rows:
        if chosen[account_id] is None:
            chosen[account_id] = chosen.get(created_by) or offices[0][0]
    for account_id, office_id in chosen.items():
        conn.execute(
            sa.text("UPDATE account SET office_id = :o WHERE id = :a"), {"o": office_id, "a": account_id}
        )
        conn.execute(sa.text("DELETE FROM rightgrant WHERE account_id = :a AND office_id <> :o"),
                     {"o": office_id, "a": account_id})


def downgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_constraint('fk_account_office_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_account_office_id'))
        batch_op.drop_column('office_id')
