"""drop columns nothing reads: dossier.version (never read), original.unsigned_sha256 (always None)

Revision ID: 0006
Revises: 0003
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0006'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('original', schema=None) as batch_op:
        batch_op.drop_column('unsigned_sha256')


def downgrade() -> None:
    with op.batch_alter_table('original', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unsigned_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
