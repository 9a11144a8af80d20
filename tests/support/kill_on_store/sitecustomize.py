"""Loaded by a test server process (tests/e2e/test_upload_kill_browser.py) or tools/seal_worker.py
(tests/integration/test_crash_seal_store.py) through PYTHONPATH: once
DATA_DIR/kill-on-store exists, the first file opened for writing under DATA_DIR/files is created and the
process SIGKILLs itself before a byte is written — a power cut inside the file store's write, whatever way
the store writes. A store that writes in place leaves an empty file under its final name; one that writes a
temp file and renames it leaves only the empty temp file."""
import os
import signal
import sys

_DATA = os.environ.get("DATA_DIR", "")
_FILES = os.path.join(os.path.abspath(_DATA), "files") + os.sep
_ARM = os.path.join(_DATA, "kill-on-store")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT


def _writing(mode, flags) -> bool:
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


_cutting = False


def _hook(event, args):
    global _cutting
    if _cutting or event != "open" or not args or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = os.path.abspath(os.fsdecode(args[0]))
    if path.startswith(_FILES) and _writing(args[1], args[2]) and os.path.exists(_ARM):
        _cutting = True  # the open below raises this event again
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # the file exists, empty, as after open()
        os.kill(os.getpid(), signal.SIGKILL)


if _DATA and sys.argv and sys.argv[0].endswith(("main.py", "seal_worker.py")):
    sys.addaudithook(_hook)
