"""Signer adapter for a PKCS#12 (.p12/.pfx) file of a person or an office."""
from __future__ import annotations

from pathlib import Path

from pyhanko.sign import signers

from domain.signing.ports import SignatureRequest

from .engine import sign_file_with_pyhanko, sign_with_pyhanko


class Pkcs12Signer:
    """From a file (tools, tests, demo keys) or from the key's bytes (opened from the key store)."""

    def __init__(self, source: str | Path | bytes, password: bytes | str | None):
        if isinstance(password, str):
            password = password.encode()
        self._source, self._password = source if isinstance(source, bytes) else str(source), password
        if isinstance(source, bytes):
            signer = signers.SimpleSigner.load_pkcs12_data(source, (), passphrase=password)
        else:
            signer = signers.SimpleSigner.load_pkcs12(str(source), passphrase=password)
        if signer is None:
            raise ValueError("cannot load the PKCS#12 key (wrong password or corrupt file)")
        self._signer = signer

    @property
    def subject_name(self) -> str:
        return self._signer.signing_cert.subject.native.get("common_name", "")

    @property
    def pyhanko_signer(self) -> signers.Signer:
        return self._signer

    def recipe(self) -> tuple:
        """What names this key to the signing process (app/signing/worker.py), picklable."""
        if isinstance(self._source, bytes):
            return ("pkcs12-data", self._source, self._password)
        return ("pkcs12", self._source, self._password, Path(self._source).stat().st_mtime)

    def sign_pdf(self, pdf: bytes, request: SignatureRequest) -> bytes:
        return sign_with_pyhanko(pdf, self._signer, request)

    def sign_file(self, source: str, target: str, request: SignatureRequest) -> None:
        """The same from file to file (the signing process wraps it: app/signing/worker.offload)."""
        sign_file_with_pyhanko(source, target, self._signer, request)
