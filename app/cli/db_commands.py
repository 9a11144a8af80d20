"""The commands on the database and the data directory: migrate, demo, create-admin, grant-right,
verify-audit, sms-outbox, verify-register (`python main.py <command>`, app/cli; backup and restore are in
backup_cli, which loads the backup's machinery)."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from app.cli.register_cli import verify_register_command
from app.cli.sms_cli import sms_outbox_command
from app.db import migrate as migrate_database
from app.db import session_scope, write_scope
from app.demo import create_admin as create_admin_account
from app.settings import get_settings
from app.signing.keystore_legacy import import_legacy_keys
from app.web.startup import prepare_database
from domain.admin_rights import operator_grant
from domain.audit import verify_chain
from domain.models import AuditEvent
from domain.passwords import check_password_rules


def migrate(args) -> int:
    migrate_database()
    print("Đã cập nhật cơ sở dữ liệu.")
    for line in import_legacy_keys():
        print(line)
    return 0


def demo(args) -> int:
    if not get_settings().demo:
        print("DEMO đang tắt; đặt DEMO=1 để tạo dữ liệu demo.", file=sys.stderr)
        return 2
    prepare_database()
    print("Đã chuẩn bị dữ liệu demo.")
    return 0


def create_admin(args) -> int:
    migrate_database()
    if args.password_file:
        password = Path(args.password_file).read_text(encoding="utf-8").strip()
    else:
        password = getpass.getpass("Mật khẩu: ")
    problems = check_password_rules(password, username=args.username)
    if problems:
        print(" ".join(problems), file=sys.stderr)
        return 2
    try:
        with write_scope() as session:
            create_admin_account(session, args.username, args.name, password, args.office)
    except IntegrityError:
        print(f"Tên đăng nhập {args.username} đã tồn tại.", file=sys.stderr)
        return 2
    print(f"Đã tạo quản trị viên {args.username}.")
    return 0


def grant_right(args) -> int:
    migrate_database()
    with write_scope() as session:
        reason = operator_grant(session, args.username, args.right)
    if reason:
        print(reason, file=sys.stderr)
        return 2
    print(f"Đã cấp {args.right} cho {args.username}.")
    return 0


def verify_audit(args) -> int:
    migrate_database()
    with session_scope() as session:
        bad = verify_chain(session)
        total = session.exec(select(func.count()).select_from(AuditEvent)).one()
    if bad is None:
        print(f"Nhật ký hệ thống toàn vẹn: {total} sự kiện.")
        return 0
    print(f"Nhật ký hệ thống bị sửa đổi: sự kiện #{bad.id} ({bad.action}, {bad.at:%Y-%m-%d %H:%M:%S} UTC) "
          "không khớp chuỗi băm.", file=sys.stderr)
    return 1


def sms_outbox(args) -> int:
    return sms_outbox_command(args.last)


def verify_register(args) -> int:
    return verify_register_command(args.office, args.year)
