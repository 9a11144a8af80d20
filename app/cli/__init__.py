"""Command-line interface: `python main.py [subcommand]`; serving is the default.

The parser and the table of commands (COMMANDS: each command's module and function). A command's module
imports what it runs at its top and is itself imported only when the command runs, so `--help` and a
command load only that command's group: db_commands (the database and the accounts), backup_cli,
copy_commands (verifying, renewing, the demo PKI), read_id (the ID card reader)."""
from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable

from app.logs import configure_logging
from app.settings import get_settings


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
    run = command_function(command)
    if run is None:
        parser.print_help()
        return 2
    return run(args)


# Each command's module, imported when the command runs: `--help` loads none of them (~0.1 s, where
# importing them all takes seconds), and a command loads only its own group.
COMMANDS: dict[str, str] = {
    "migrate": "app.cli.db_commands:migrate",
    "demo": "app.cli.db_commands:demo",
    "create-admin": "app.cli.db_commands:create_admin",
    "grant-right": "app.cli.db_commands:grant_right",
    "verify-audit": "app.cli.db_commands:verify_audit",
    "sms-outbox": "app.cli.db_commands:sms_outbox",
    "verify-register": "app.cli.db_commands:verify_register",
    "backup": "app.cli.backup_cli:backup_command",
    "restore": "app.cli.backup_cli:restore_command",
    "verify": "app.cli.copy_commands:verify",
    "renew-timestamps": "app.cli.copy_commands:renew",
    "pki-services": "app.cli.copy_commands:pki_services",
    "read-id": "app.cli.read_id:read_id",
}


def command_function(name: str) -> Callable[[argparse.Namespace], int] | None:
    """The function that runs `name` (its module imported now), or None for an unknown command."""
    if name not in COMMANDS:
        return None
    module, _, function = COMMANDS[name].partition(":")
    return getattr(importlib.import_module(module), function)
