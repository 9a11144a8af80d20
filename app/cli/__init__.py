"""Command-line interface: `python main.py [subcommand]`; serving is the default.

Each command imports what it runs inside its own function: `--help` and a command load only that command's
modules (tests/unit/test_import_graph.py names this file as the exception)."""
from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python main.py",
                                     description="Chứng thực bản sao điện tử — server and support commands")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve the web app (the default)")
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("demo", help="migrate and seed the demo office on an empty database")
    admin = sub.add_parser("create-admin", help="create an administrator (and the office when there is none)")
    admin.add_argument("username")
    admin.add_argument("--name", required=True, help="full name")
    admin.add_argument("--office", default="UBND xã", help="office name when the database has no office yet")
    admin.add_argument("--password-file", help="read the password from this file instead of prompting")
    grant = sub.add_parser("grant-right", help="the operator grants sign_copy or seal_copy to an official "
                                                "(for an office with one administrator)")
    grant.add_argument("username")
    grant.add_argument("right", choices=["sign_copy", "seal_copy"])
    sub.add_parser("verify-audit", help="check the audit trail's hash chain")
    verify = sub.add_parser("verify", help="verify a certified copy (signatures and register)")
    verify.add_argument("file")
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    verify.add_argument("--at", help="validate as if now were this ISO date/time (e.g. 2056-01-01)")
    sub.add_parser("pki-services", help="serve the demo PKI: CRLs, OCSP, time-stamps (PKI_URL)")
    renew = sub.add_parser(
        "renew-timestamps", help="add a document time-stamp to issued copies that need one"
    )
    renew.add_argument("--at", help="decide what is due as if now were this ISO date/time")
    read_id = sub.add_parser("read-id", help="read an ID card scan (QR, MRZ, printed text)")
    read_id.add_argument("files", nargs="+", metavar="FILE", help="one or two files: JPEG, PNG, PDF or DOCX")
    read_id.add_argument("--json", action="store_true", help="print the result as JSON")
    sms = sub.add_parser("sms-outbox", help="show the latest SMS in the outbox")
    sms.add_argument("--last", type=int, default=10, help="how many messages (default 10)")
    vreg = sub.add_parser("verify-register", help="check the register: hash chain, numbering, stored copies")
    vreg.add_argument("--office", help="the office's unit code (default: every office)")
    vreg.add_argument("--year", type=int, help="only this year")
    for name, what in (("backup", "write a backup archive (database, files, CA) to FILE"),
                       ("restore", "restore a backup archive into an empty DATA_DIR and database")):
        sub.add_parser(name, help=what).add_argument("file", metavar="FILE")
    return parser


def _configure_logging() -> None:
    from app.logs import configure_logging
    from app.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)


def main(argv: list[str], serve: Callable[[], None]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "serve"
    _configure_logging()
    if command == "serve":
        serve()
        return 0
    run = COMMANDS.get(command)
    if run is None:
        parser.print_help()
        return 2
    return run(args)


def _migrate(args) -> int:
    from app.db import migrate
    from app.signing.keystore_legacy import import_legacy_keys

    migrate()
    print("Đã cập nhật cơ sở dữ liệu.")
    for line in import_legacy_keys():
        print(line)
    return 0


def _demo(args) -> int:
    from app.settings import get_settings
    from app.web.startup import prepare_database

    if not get_settings().demo:
        print("DEMO đang tắt; đặt DEMO=1 để tạo dữ liệu demo.", file=sys.stderr)
        return 2
    prepare_database()
    print("Đã chuẩn bị dữ liệu demo.")
    return 0


def _verify(args) -> int:
    from app.db import migrate
    from app.signing.cli import verify_command
    from app.verification.public_verify import verify_file

    migrate()
    at = _moment(args.at)
    return verify_command(args.file, args.json, judge=lambda data: verify_file(data, at))


def _pki_services(args) -> int:
    from app.pki.cli import pki_services_command

    return pki_services_command()


def _renew(args) -> int:
    from app.db import migrate
    from app.signing.renewal import renew_command

    migrate()
    return renew_command(_moment(args.at))


def _read_id(args) -> int:
    from app.idcard.cli import read_id_command

    if len(args.files) > 2:
        print("Chỉ nhận một hoặc hai tệp (mặt trước, mặt sau).", file=sys.stderr)
        return 2
    return read_id_command(args.files, args.json)


def _sms_outbox(args) -> int:
    from app.cli.sms_cli import sms_outbox_command

    return sms_outbox_command(args.last)


def _verify_register(args) -> int:
    from app.cli.register_cli import verify_register_command

    return verify_register_command(args.office, args.year)


def _backup(args) -> int:
    from app.cli import backup_cli

    return backup_cli.backup_command(args.file)


def _restore(args) -> int:
    from app.cli import backup_cli

    return backup_cli.restore_command(args.file)


def _create_admin(args) -> int:
    from app.db import migrate, write_scope
    from app.demo import create_admin
    from domain.passwords import check_password_rules

    migrate()
    if args.password_file:
        password = Path(args.password_file).read_text(encoding="utf-8").strip()
    else:
        password = getpass.getpass("Mật khẩu: ")
    problems = check_password_rules(password, username=args.username)
    if problems:
        print(" ".join(problems), file=sys.stderr)
        return 2
    from sqlalchemy.exc import IntegrityError

    try:
        with write_scope() as session:
            create_admin(session, args.username, args.name, password, args.office)
    except IntegrityError:
        print(f"Tên đăng nhập {args.username} đã tồn tại.", file=sys.stderr)
        return 2
    print(f"Đã tạo quản trị viên {args.username}.")
    return 0


def _grant_right(args) -> int:
    from app.db import migrate, write_scope
    from domain.admin_rights import operator_grant

    migrate()
    with write_scope() as session:
        reason = operator_grant(session, args.username, args.right)
    if reason:
        print(reason, file=sys.stderr)
        return 2
    print(f"Đã cấp {args.right} cho {args.username}.")
    return 0


def _verify_audit() -> int:
    from sqlmodel import func, select

    from app.db import migrate, session_scope
    from domain.audit import verify_chain
    from domain.models import AuditEvent

    migrate()
    with session_scope() as session:
        bad = verify_chain(session)
        total = session.exec(select(func.count()).select_from(AuditEvent)).one()
    if bad is None:
        print(f"Nhật ký hệ thống toàn vẹn: {total} sự kiện.")
        return 0
    print(f"Nhật ký hệ thống bị sửa đổi: sự kiện #{bad.id} ({bad.action}, {bad.at:%Y-%m-%d %H:%M:%S} UTC) "
          "không khớp chuỗi băm.", file=sys.stderr)
    return 1


def _moment(text: str | None):
    """An ISO date or date-time (UTC when no offset is given), or None."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "migrate": _migrate, "demo": _demo, "create-admin": _create_admin, "grant-right": _grant_right,
    "verify-audit": lambda args: _verify_audit(), "verify": _verify, "pki-services": _pki_services,
    "renew-timestamps": _renew, "read-id": _read_id, "sms-outbox": _sms_outbox,
    "verify-register": _verify_register, "backup": _backup, "restore": _restore,
}
