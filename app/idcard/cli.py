"""`read-id` for support staff: python -m app.idcard.cli FILE [FILE] --json"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from domain.idcard import FIELD_LABELS_VI, FIELDS, IdCardReadError

from .reader import TesseractIdCardReader

_SOURCE_LABELS = {"qr": "QR", "mrz": "MRZ", "ocr": "OCR"}


def read_id_command(paths: list[str], as_json: bool) -> int:
    """Read one card from one or two files and print it; returns the process exit code."""
    if not 1 <= len(paths) <= 2:
        print("Lỗi: cần một hoặc hai tệp (mặt trước, mặt sau).", file=sys.stderr)
        return 2
    files = []
    for path in paths:
        try:
            files.append((Path(path).name, Path(path).read_bytes()))
        except OSError as exc:
            print(f"Lỗi: không mở được tệp «{path}»: {exc.strerror or exc}.", file=sys.stderr)
            return 2
    try:
        data = TesseractIdCardReader().read(files)
    except IdCardReadError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(data.to_json_dict(), ensure_ascii=False, indent=2))
        return 0
    values = data.to_json_dict()
    for name in FIELDS:
        source = _SOURCE_LABELS.get(data.sources.get(name, ""), "-")
        mark = (
            " MRZ ✓"
            if data.confirmed_by.get(name) == "mrz"
            else " cần kiểm tra"
            if data.needs_check(name)
            else ""
        )
        print(f"{FIELD_LABELS_VI[name]:<28} {values[name] or '':<60} [{source}]{mark}")
        for warning in data.field_warnings.get(name, []):
            print(f"    ⚠ {warning}")
    for warning in data.general_warnings():
        print(f"Cảnh báo: {warning}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="read-id", description="Đọc thông tin thẻ căn cước từ ảnh/PDF/DOCX."
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="mặt trước và/hoặc mặt sau (JPEG, PNG, PDF, DOCX)"
    )
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    args = parser.parse_args(argv)
    return read_id_command(args.files, args.json)


if __name__ == "__main__":
    sys.exit(main())
