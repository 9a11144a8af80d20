"""Tesseract in this process, through libtesseract's C API (ctypes; Debian's libtesseract5, which the
`tesseract` command already needs): each language's model loads once per process and thread, not
once per call as with the command (~0.1 s CPU of every call, 3-6 calls per card).

`recognize` gives what `tesseract image stdout --psm N -l LANG` gives for the same image (the image
is handed over as an uncompressed PNM, so no resolution, as pytesseract's PNG has none); a call has a
wall-clock deadline (tesseract's own monitor), past which OcrTimeout. When the library cannot be
loaded, `available()` is False and the caller runs the command instead.
"""
from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import io
import threading

from PIL import Image

_P = ctypes.c_void_p
_SIGNATURES = {  # name: (restype, argtypes)
    "TessBaseAPICreate": (_P, []),
    "TessBaseAPIInit3": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_char_p]),
    "TessBaseAPISetVariable": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_char_p]),
    "TessBaseAPISetPageSegMode": (None, [_P, ctypes.c_int]),
    "TessBaseAPISetImage2": (None, [_P, _P]),
    "TessBaseAPIRecognize": (ctypes.c_int, [_P, _P]),
    "TessBaseAPIGetUTF8Text": (_P, [_P]),
    "TessBaseAPIClear": (None, [_P]),
    "TessBaseAPIEnd": (None, [_P]),
    "TessBaseAPIDelete": (None, [_P]),
    "TessDeleteText": (None, [_P]),
    "TessMonitorCreate": (_P, []),
    "TessMonitorDelete": (None, [_P]),
    "TessMonitorSetDeadlineMSecs": (None, [_P, ctypes.c_int]),
}
_lock = threading.Lock()
_libs: tuple | None = None     # (libtesseract, liblept), loaded on first use
_failed = False
_local = threading.local()     # a TessBaseAPI is not thread-safe: one per thread and language
_handles: list = []            # every handle made, ended at exit (else tesseract reports leaks)


class TessTimeout(Exception):
    """The call ran past its deadline."""


class TessError(Exception):
    """Tesseract could not take this image or this language."""


def available() -> bool:
    return _load() is not None


def recognize(image: Image.Image, lang: str, psm: int, whitelist: str | None, timeout_s: float) -> str:
    tess, lept = _load()
    api = _api(lang)
    pix = _pix(image, lept)
    monitor = tess.TessMonitorCreate()
    try:
        tess.TessBaseAPISetPageSegMode(api, psm)
        tess.TessBaseAPISetVariable(api, b"tessedit_char_whitelist", (whitelist or "").encode())
        tess.TessBaseAPISetImage2(api, pix)
        tess.TessMonitorSetDeadlineMSecs(monitor, max(1, min(int(timeout_s * 1000), 2**31 - 1)))
        if tess.TessBaseAPIRecognize(api, monitor) != 0:
            raise TessTimeout(f"tesseract ran past {timeout_s:.2f} s")
        text = tess.TessBaseAPIGetUTF8Text(api)
        if not text:
            return ""
        try:
            return ctypes.string_at(text).decode("utf-8", "replace")
        finally:
            tess.TessDeleteText(text)
    finally:
        tess.TessMonitorDelete(monitor)
        tess.TessBaseAPIClear(api)
        lept.pixDestroy(ctypes.byref(pix))


def _load():
    global _libs, _failed
    with _lock:
        if _libs is None and not _failed:
            try:
                tess = ctypes.CDLL(ctypes.util.find_library("tesseract") or "libtesseract.so.5")
                lept = ctypes.CDLL(ctypes.util.find_library("lept") or "liblept.so.5")
                for name, (restype, argtypes) in _SIGNATURES.items():
                    getattr(tess, name).restype, getattr(tess, name).argtypes = restype, argtypes
                lept.pixReadMem.restype, lept.pixReadMem.argtypes = _P, [ctypes.c_char_p, ctypes.c_size_t]
                lept.pixDestroy.restype, lept.pixDestroy.argtypes = None, [ctypes.POINTER(_P)]
                lept.setMsgSeverity.argtypes = [ctypes.c_int]
                lept.setMsgSeverity(6)  # L_SEVERITY_NONE: the command's stderr was not shown either
                _libs = (tess, lept)
                atexit.register(_end_all)
            except (OSError, AttributeError):
                _failed = True
        return _libs


def _api(lang: str):
    apis = getattr(_local, "apis", None)
    if apis is None:
        apis = _local.apis = {}
    if lang not in apis:
        tess = _libs[0]
        api = tess.TessBaseAPICreate()
        if tess.TessBaseAPIInit3(api, None, lang.encode()) != 0:
            tess.TessBaseAPIDelete(api)
            raise TessError(f"tesseract has no language {lang!r}")
        tess.TessBaseAPISetVariable(api, b"debug_file", b"/dev/null")  # no "Estimating resolution" lines
        apis[lang] = api
        with _lock:
            _handles.append(api)
    return apis[lang]


def _pix(image: Image.Image, lept) -> ctypes.c_void_p:
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB" if image.mode in ("RGBA", "P", "CMYK") else "L")
    buf = io.BytesIO()
    image.save(buf, "PPM")  # PGM for L: no compression, no resolution (as the command's PNG)
    data = buf.getvalue()
    pix = ctypes.c_void_p(lept.pixReadMem(data, len(data)))
    if not pix.value:
        raise TessError("leptonica could not read the image")
    return pix


def _end_all() -> None:
    tess = _libs[0]
    for api in _handles:
        tess.TessBaseAPIEnd(api)
        tess.TessBaseAPIDelete(api)
    _handles.clear()
