"""Signer adapter for a PKCS#12 (.p12/.pfx) file of a person or an office."""
from __future__ import annotations

from pathlib import Path

from pyhanko.sign import signers

from domain.signing.ports import SignatureRequest

from . import worker
from .engine import sign_with_pyhanko


class Pkcs12Signer:
    def __init__(self, path: str | Path, password: bytes | str | None):
        if isinstance(password, str):
            password = password.encode()
        self._path, self._password = str(path), password
        signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password)
        if signer is None:
            raise ValueError(f"cannot load PKCS#12 file {path} (wrong password or corrupt file)")
        self._signer = signer

    @property
    def subject_name(self) -> str:
        return self._signer.signing_cert.subject.native.get("common_name", "")

    @property
    def pyhanko_signer(self) -> signers.Signer:
        return self._signer

    def sign_pdf(self, pdf: bytes, request: SignatureRequest) -> bytes:
        if worker.enabled():  # the server: in the signing process (app/signing/worker.py)
            recipe = ("pkcs12", self._path, self._password, Path(self._path).stat().st_mtime)
            return worker.sign(recipe, pdf, request)
        return sign_with_pyhanko(pdf, self._signer, request)
