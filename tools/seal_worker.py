"""Seal the given dossiers as the demo seal keeper (used by the concurrency tests and benches).

    python tools/seal_worker.py ID [ID ...]      prints one line per dossier: id number|error
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import UNITS
from app.signing import certification_service as service  # noqa: E402
from tests.support.workflow import user_named  # noqa: E402


def _pause_inside_seal(seconds: float) -> None:
    """Fault injection for the crash tests: sleep after the number is taken, before signing."""
    import time

    from app.signing import sign_seal

    real = sign_seal.seal_file_as_office

    def slow(*args, **kwargs):
        print("sealing", flush=True)
        time.sleep(seconds)
        return real(*args, **kwargs)

    sign_seal.seal_file_as_office = slow


def main(ids: list[int]) -> int:
    import os

    if os.environ.get("SEAL_PAUSE_SECONDS"):
        _pause_inside_seal(float(os.environ["SEAL_PAUSE_SECONDS"]))
    sealer = user_named("vanthu")
    failures = 0
    for dossier_id in ids:
        try:
            entries = service.seal(UNITS, sealer, dossier_id)
            print(dossier_id, entries[0].number, flush=True)
        except Exception as exc:  # noqa: BLE001 — reported to the caller
            failures += 1
            print(dossier_id, f"error: {exc}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]]))
