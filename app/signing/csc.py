"""Remote signing over the Cloud Signature Consortium API v1 (``ký số từ xa``): the CA keeps the key.

The flow, per signer: an OAuth2 bearer token for the app (client credentials, or a token the provider
issued), ``credentials/info`` for the certificate chain, ``credentials/authorize`` with the signer's
PIN/OTP for ``numSignatures`` signatures (one approval for a batch), then one ``signatures/signHash``
per copy. Only SCAL1 credentials (SAD not pinned to hashes) can approve a batch before the copies exist.
"""
from __future__ import annotations

import base64
import hashlib
import threading
import time
from dataclasses import dataclass, field

import httpx
from asn1crypto import algos, x509
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app import long_work
from domain.signing.ports import SignatureRequest

from .csc_errors import RemoteSigningError, classify
from .engine import sign_file_with_pyhanko, sign_with_pyhanko

DEFAULT_TIMEOUT = 30.0  # info, signHash
AUTHORIZE_TIMEOUT = 120.0  # the provider may wait for an approval on the signer's phone


@dataclass(frozen=True)
class CscCredential:
    signing_cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    mechanisms: frozenset[str]
    max_batch: int
    hash_pinning: bool

    @property
    def subject_name(self) -> str:
        return self.signing_cert.subject.native.get("common_name", "")


@dataclass
class CscAuthorization:
    """Signature activation data for ``remaining`` more signatures, until ``expires_at`` (monotonic)."""

    sad: str
    remaining: int
    expires_at: float
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self) -> str:
        with self._lock:
            if self.remaining <= 0 or time.monotonic() >= self.expires_at:
                raise RemoteSigningError("expired", "SAD used up or expired")
            self.remaining -= 1
            return self.sad

    def give_back(self) -> None:
        """A signature that did not reach the provider does not consume the approval."""
        with self._lock:
            self.remaining += 1


class CscClient:
    def __init__(self, service_url: str, credential_id: str, *, token: str | None = None,
                 client_id: str | None = None, client_secret: str | None = None, token_url: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, authorize_timeout: float = AUTHORIZE_TIMEOUT):
        self.service_url = service_url.rstrip("/")
        self.credential_id = credential_id
        self._token, self._client_id, self._client_secret = token, client_id, client_secret
        self._token_url = token_url or f"{self.service_url}/csc/v1/oauth2/token"
        self._token_expires = float("inf") if token else 0.0
        self.timeout, self.authorize_timeout = timeout, authorize_timeout

    # --- the API calls ---------------------------------------------------------------------
    def credential(self) -> CscCredential:
        data = self._post("credentials/info", {"credentialID": self.credential_id, "certificates": "chain",
                                               "certInfo": False})
        if str(data.get("key", {}).get("status", "enabled")).lower() != "enabled":
            raise RemoteSigningError("disabled", "key status " + str(data["key"].get("status")))
        try:
            certs = [x509.Certificate.load(base64.b64decode(c)) for c in data["cert"]["certificates"]]
            mechanisms = frozenset(algos.SignedDigestAlgorithmId(oid).native for oid in data["key"]["algo"])
        except (KeyError, ValueError, TypeError) as exc:
            raise RemoteSigningError("rejected", f"bad credentials/info answer: {exc}") from exc
        return CscCredential(certs[0], tuple(certs[1:]), mechanisms, int(data.get("multisign", 1)),
                             str(data.get("SCAL", "1")) == "2")

    def authorize(self, num_signatures: int, *, pin: str | None = None, otp: str | None = None,
                  description: str = "") -> CscAuthorization:
        body: dict = {"credentialID": self.credential_id, "numSignatures": num_signatures}
        if pin:
            body["PIN"] = pin
        if otp:
            body["OTP"] = otp
        if description:
            body["description"] = description[:500]
        data = self._post("credentials/authorize", body, timeout=self.authorize_timeout)
        if "SAD" not in data:
            raise RemoteSigningError("rejected", "no SAD in credentials/authorize answer")
        lifetime = int(data.get("expiresIn", 3600))
        return CscAuthorization(str(data["SAD"]), num_signatures, time.monotonic() + lifetime)

    def sign_hash(
        self,
        sad: str,
        digest: bytes,
        digest_algorithm: str,
        mechanism: algos.SignedDigestAlgorithm,
    ) -> bytes:
        body = {"credentialID": self.credential_id, "SAD": sad, "hash": [base64.b64encode(digest).decode()],
                "hashAlgo": algos.DigestAlgorithmId(digest_algorithm).dotted,
                "signAlgo": mechanism["algorithm"].dotted}
        if mechanism["parameters"].native is not None:
            body["signAlgoParams"] = base64.b64encode(mechanism["parameters"].dump()).decode()
        data = self._post("signatures/signHash", body)
        try:
            return base64.b64decode(data["signatures"][0])
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise RemoteSigningError("rejected", "bad signatures/signHash answer") from exc

    # --- HTTP ------------------------------------------------------------------------------
    def _post(self, endpoint: str, body: dict, *, timeout: float | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self._bearer()}"}
        url = f"{self.service_url}/csc/v1/{endpoint}"
        limit, left = timeout or self.timeout, long_work.time_left()  # watched: its time left at most
        response = _send(lambda client, t: client.post(url, json=body, headers=headers, timeout=t),
                         limit if left is None else max(0.1, min(limit, left)))
        return _answer(response, endpoint)

    def _bearer(self) -> str:
        if self._token and time.monotonic() < self._token_expires:
            return self._token
        if not (self._client_id and self._client_secret):
            raise RemoteSigningError("unauthorized", "no token and no client credentials")
        form = {"grant_type": "client_credentials", "client_id": self._client_id,
                "client_secret": self._client_secret}
        data = _answer(
            _send(lambda client, t: client.post(self._token_url, data=form, timeout=t), self.timeout),
            "oauth2/token",
        )
        try:
            self._token = str(data["access_token"])
        except KeyError as exc:
            raise RemoteSigningError("unauthorized", "no access_token") from exc
        self._token_expires = time.monotonic() + int(data.get("expires_in", 3600)) - 30
        return self._token


_http: httpx.Client | None = None
_http_lock = threading.Lock()


def _client() -> httpx.Client:
    """One pooled client per process: building one costs an SSL context (~10 ms) and a new connection."""
    global _http
    with _http_lock:
        if _http is None:
            _http = httpx.Client(limits=httpx.Limits(max_connections=20, max_keepalive_connections=5))
        return _http


def _send(call, timeout: float) -> httpx.Response:
    try:
        return call(_client(), httpx.Timeout(timeout, connect=min(timeout, 10.0)))
    except httpx.TimeoutException as exc:
        raise RemoteSigningError("timeout", str(exc) or type(exc).__name__) from exc
    except httpx.TransportError as exc:
        raise RemoteSigningError("unreachable", str(exc) or type(exc).__name__) from exc


def _answer(response: httpx.Response, endpoint: str) -> dict:
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code >= 400:
        raise RemoteSigningError(classify(response.status_code, data if isinstance(data, dict) else None),
                                 f"{endpoint}: HTTP {response.status_code} {response.text[:200]}")
    if not isinstance(data, dict):
        raise RemoteSigningError("rejected", f"{endpoint}: not a JSON object")
    return data


class _RemoteKeySigner(signers.Signer):
    """pyHanko's view: the CMS is built here, the raw signature of its digest comes from signHash."""

    def __init__(self, client: CscClient, credential: CscCredential, authorization: CscAuthorization):
        store = SimpleCertificateStore()
        store.register_multiple(credential.chain)
        super().__init__(signing_cert=credential.signing_cert, cert_registry=store)
        self._client, self._credential, self._auth = client, credential, authorization

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:
            return bytes(512)
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism["algorithm"].native not in self._credential.mechanisms:
            raise RemoteSigningError("rejected", f"mechanism {mechanism['algorithm'].native} not offered")
        digest = hashlib.new(digest_algorithm, data).digest()
        sad = self._auth.take()
        try:
            # Blocking is fine: pyHanko runs this in its own event loop, in a worker thread.
            return self._client.sign_hash(sad, digest, digest_algorithm, mechanism)
        except RemoteSigningError as exc:
            if exc.kind in ("unreachable",):
                self._auth.give_back()
            raise


class CscSigner:
    """The Signer port over a CSC credential and an approval obtained from the signer's PIN/OTP."""

    def __init__(self, client: CscClient, credential: CscCredential, authorization: CscAuthorization):
        self._signer = _RemoteKeySigner(client, credential, authorization)
        self._credential = credential

    @property
    def subject_name(self) -> str:
        return self._credential.subject_name

    @property
    def pyhanko_signer(self) -> signers.Signer:
        return self._signer

    def sign_pdf(self, pdf: bytes, request: SignatureRequest) -> bytes:
        return sign_with_pyhanko(pdf, self._signer, request)

    def sign_file(self, source: str, target: str, request: SignatureRequest) -> None:
        sign_file_with_pyhanko(source, target, self._signer, request)  # here: the approval lives here
