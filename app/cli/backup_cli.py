"""`python main.py backup FILE` and `python main.py restore FILE`."""
from __future__ import annotations

import sys

from app.backup import BackupError, backup, restore


def backup_command(args) -> int:
    path = args.file
    try:
        result = backup(path)
    except BackupError as exc:
        print(f"Sao lưu thất bại: {exc.message}", file=sys.stderr)
        return 1
    print(f"Đã sao lưu vào {result.path}: cơ sở dữ liệu và {result.files - 1} tệp, "
          f"{result.size / 1_048_576:.1f} MB.")
    return 0


def restore_command(args) -> int:
    path = args.file
    try:
        manifest = restore(path)
    except BackupError as exc:
        print(f"Không phục hồi: {exc.message}", file=sys.stderr)
        return 1
    print(f"Đã phục hồi bản sao lưu lúc {manifest.get('created_at', '?')}: cơ sở dữ liệu "
          f"({manifest['database']['kind']}) và {len(manifest['files']) - 1} tệp.")
    return 0
