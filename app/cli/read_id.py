"""`python main.py read-id FILE [FILE]` (app/cli): the ID card reader for support staff."""
from __future__ import annotations

import sys

from app.idcard.cli import read_id_command


def read_id(args) -> int:
    if len(args.files) > 2:
        print("Chỉ nhận một hoặc hai tệp (mặt trước, mặt sau).", file=sys.stderr)
        return 2
    return read_id_command(args.files, args.json)
