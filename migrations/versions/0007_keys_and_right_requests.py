"""signing secrets kept sealed per office (issue 34), and sign/seal rights proposed for a second
administrator's approval

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'signing_secret',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=True),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('sealed', sa.Text(), nullable=False),
        sa.Column('cert_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('not_after', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['account.id']),
        sa.ForeignKeyConstraint(['created_by_id'], ['account.id']),
        sa.ForeignKeyConstraint(['office_id'], ['office.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('signing_secret', schema=None) as batch_op:
        batch_op.create_index('ix_signing_secret_office_id', ['office_id'], unique=False)
        batch_op.create_index('ix_signing_secret_account_id', ['account_id'], unique=False)
        batch_op.create_index('ix_signing_secret_cert_sha256', ['cert_sha256'], unique=False)
    op.create_table(
        'right_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('right', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('proposed_by_id', sa.Integer(), nullable=False),
        sa.Column('proposed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['account.id']),
        sa.ForeignKeyConstraint(['decided_by_id'], ['account.id']),
        sa.ForeignKeyConstraint(['office_id'], ['office.id']),
        sa.ForeignKeyConstraint(['proposed_by_id'], ['account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('right_request', schema=None) as batch_op:
        batch_op.create_index('ix_right_request_account_id', ['account_id'], unique=False)
        batch_op.create_index('ix_right_request_office_id', ['office_id'], unique=False)
        batch_op.create_index('ix_right_request_status', ['status'], unique=False)


def downgrade() -> None:
    op.drop_table('right_request')
    op.drop_table('signing_secret')
