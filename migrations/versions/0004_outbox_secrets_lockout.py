"""outbox secrets kept encrypted, SMS office and claim time, sign-in failures per account

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-02 12:00:00
"""
import re

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None

# The secrets earlier versions left in SMS bodies: six-digit codes and passwords after "mat khau".
_SIX_DIGITS = re.compile(r"(?<!\d)\d{6}(?!\d)")
_PASSWORD = re.compile(r"(mat khau(?:\s+tam\s+thoi)?\s*:?\s*)([^\s.,;]*\d[^\s.,;]*)", re.IGNORECASE)


def upgrade() -> None:
    with op.batch_alter_table('smsmessage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('secret_box', sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("secret_expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_smsmessage_office_id'), ['office_id'], unique=False)
    with op.batch_alter_table('loginfailure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_loginfailure_account_id'), ['account_id'], unique=False)
    # Mask the secrets already stored in clear; a message not yet sent can no longer be: it fails.
    conn = op.get_bind()
    sms = sa.table('smsmessage', sa.column('id', sa.Integer), sa.column('body', sa.Text),
                   sa.column('purpose', sa.String), sa.column('status', sa.String),
                   sa.column('last_error', sa.String))
    secret_purposes = ('otp_create_account', 'otp_reset_password', 'otp_change_phone', 'temp_password',
                       'official_password')
    rows = conn.execute(
        sa.select(sms.c.id, sms.c.body, sms.c.status).where(sms.c.purpose.in_(secret_purposes))
    )
    for row_id, body, status in rows.fetchall():
        masked = _SIX_DIGITS.sub("******", _PASSWORD.sub(lambda m: m.group(1) + "********", body or ""))
        values = {'body': masked}
        if status not in ('sent', 'failed'):
            values.update(status='failed', last_error='Mã bí mật đã được xóa khi nâng cấp; hãy gửi lại.')
        conn.execute(sa.update(sms).where(sms.c.id == row_id).values(**values))


def downgrade() -> None:
    with op.batch_alter_table('loginfailure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loginfailure_account_id'))
        batch_op.drop_column('account_id')
    with op.batch_alter_table('smsmessage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_smsmessage_office_id'))
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('secret_expires_at')
        batch_op.drop_column('secret_box')
        batch_op.drop_column('office_id')
