"""long-term copies: sealed revision hash, signer certificates, copy files (B-LTA renewals)

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('registerentry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_sha256', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('leader_cert_sha256', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('office_cert_sha256', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_registerentry_sealed_sha256'), ['sealed_sha256'], unique=False)
    op.create_table('copyfile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('file_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('ts_expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['registerentry.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_id', 'seq')
    )
    with op.batch_alter_table('copyfile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_copyfile_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_copyfile_file_sha256'), ['file_sha256'], unique=True)
        batch_op.create_index(batch_op.f('ix_copyfile_ts_expires_at'), ['ts_expires_at'], unique=False)
    # Copies issued before: their one file, as issued (no time-stamp known).
    op.execute("INSERT INTO copyfile (entry_id, seq, file_sha256, created_at) "
               "SELECT id, 0, file_sha256, issued_at FROM registerentry")


def downgrade() -> None:
    with op.batch_alter_table('copyfile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_copyfile_ts_expires_at'))
        batch_op.drop_index(batch_op.f('ix_copyfile_file_sha256'))
        batch_op.drop_index(batch_op.f('ix_copyfile_entry_id'))
    op.drop_table('copyfile')
    with op.batch_alter_table('registerentry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registerentry_sealed_sha256'))
        batch_op.drop_column('office_cert_sha256')
        batch_op.drop_column('leader_cert_sha256')
        batch_op.drop_column('sealed_sha256')
