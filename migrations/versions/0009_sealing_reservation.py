"""register counter: the seal in progress that holds the next numbers (who, until when)

Revision ID: 0009
Revises: 0013
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0009'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('registercounter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealing_by', sqlmodel.sql.sqltypes.AutoString(length=96),
                                      nullable=True))
        batch_op.add_column(sa.Column('sealing_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('registercounter', schema=None) as batch_op:
        batch_op.drop_column('sealing_until')
        batch_op.drop_column('sealing_by')
