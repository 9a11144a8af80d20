"""Signer adapter for a PKCS#11 token (USB token, HSM, SoftHSM2 in tests).

A session is opened for each signature and closed right after: tokens get unplugged and
PKCS#11 sessions must not be shared between threads.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

from domain.signing.ports import SignatureRequest

from .engine import sign_file_with_pyhanko, sign_with_pyhanko


class Pkcs11TokenSigner:
    def __init__(self, module: str, token_label: str, pin: str, *, key_label: str | None = None,
                 cert_label: str | None = None):
        if not (key_label or cert_label):
            raise ValueError("PKCS#11 signer needs a key_label or a cert_label")
        self.module, self.token_label, self._pin = module, token_label, pin
        self.key_label, self.cert_label = key_label or cert_label, cert_label or key_label
        self._subject: str | None = None

    @property
    def subject_name(self) -> str:
        if self._subject is None:
            with self._session_signer() as signer:
                self._subject = signer.signing_cert.subject.native.get("common_name", "")
        return self._subject

    def recipe(self) -> tuple:
        """What names this key to the signing process (app/signing/worker.py), picklable."""
        return ("pkcs11", self.module, self.token_label, self._pin, self.key_label, self.cert_label)

    def sign_pdf(self, pdf: bytes, request: SignatureRequest) -> bytes:
        with self._session_signer() as signer:
            return sign_with_pyhanko(pdf, signer, request)

    def sign_file(self, source: str, target: str, request: SignatureRequest) -> None:
        """The same from file to file (the signing process wraps it: app/signing/worker.offload)."""
        with self._session_signer() as signer:
            sign_file_with_pyhanko(source, target, signer, request)

    @contextmanager
    def _session_signer(self) -> Iterator[PKCS11Signer]:
        session = open_pkcs11_session(self.module, token_criteria=TokenCriteria(label=self.token_label),
                                      user_pin=self._pin)
        try:
            # other_certs_to_pull=None: embed every certificate on the token (the CA chain).
            signer = PKCS11Signer(session, cert_label=self.cert_label, key_label=self.key_label,
                                  other_certs_to_pull=None)
            # Many tokens (SoftHSM2 included) only offer raw CKM_ECDSA: hash in Python for EC keys.
            signer.use_raw_mechanism = signer.signing_cert.public_key.algorithm == "ec"
            yield signer
        finally:
            session.close()
