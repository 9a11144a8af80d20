"""Helpers for signing tests and the signing bench: generated scans, SoftHSM2 tokens, NSS + pdfsig."""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pkcs11
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from PIL import Image, ImageDraw, ImageFont

NOTO = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
SOFTHSM_MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")


def make_scan_jpeg(page_no: int, *, dpi: int = 300, size_px: tuple[int, int] = (2480, 3508)) -> bytes:
    """An A4 page at 300 dpi with text and noise-like lines, like a real scan (~1 MB)."""
    img = Image.new("RGB", size_px, (250, 248, 240))
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(NOTO, 60)
    draw.text((200, 200), f"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — trang {page_no}", fill="black", font=font)
    for i in range(0, size_px[1] - 600, 23):
        shade = (i * 7919 + page_no * 104729) % 200
        draw.line(
            (200, 500 + i, size_px[0] - 200 - (i * 37) % 600, 500 + i), fill=(shade, shade, shade), width=3
        )
    buf = BytesIO()
    img.save(buf, "JPEG", quality=85, dpi=(dpi, dpi))
    return buf.getvalue()


def softhsm_module() -> str | None:
    if not shutil.which("softhsm2-util"):
        return None
    return next((m for m in SOFTHSM_MODULES if Path(m).exists()), None)


@dataclass(frozen=True)
class Token:
    module: str
    token_label: str
    key_label: str
    pin: str


def create_softhsm_token(workdir: Path, p12_path: Path, p12_password: bytes, *, label: str = "ChungThuc",
                         key_label: str = "signer", pin: str = "123456") -> Token:
    """A real SoftHSM2 token holding the key, the certificate and its CA chain from a PKCS#12 file.

    SOFTHSM2_CONF must be the value ``softhsm_env`` returns: SoftHSM2 reads its configuration once per
    process, so every token of a test run lives in one directory and gets a label of its own
    (the suffix), else a later test would find an earlier test's token under the same label."""
    module = softhsm_module()
    assert module, "softhsm2 is not installed"
    global _token_count
    _token_count += 1
    label = f"{label}-{os.getpid()}-{_token_count}"[:32]
    key, cert, chain = pkcs12.load_key_and_certificates(p12_path.read_bytes(), p12_password)
    workdir.mkdir(parents=True, exist_ok=True)  # the process's token store may live in another test's folder
    key_pem = workdir / f"{key_label}.key.pem"
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    _run("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", "87654321", "--pin", pin)
    _run("softhsm2-util", "--import", str(key_pem), "--token", label, "--label", key_label, "--id", "01",
         "--pin", pin)
    key_pem.unlink()
    for n, (c, obj_label, obj_id) in enumerate([(cert, key_label, "01")] + [
        (ca, f"ca{i}", f"a{i}") for i, ca in enumerate(chain)
    ]):
        der = workdir / f"cert{n}.der"
        der.write_bytes(c.public_bytes(serialization.Encoding.DER))
        _run("pkcs11-tool", "--module", module, "--token-label", label, "--login", "--pin", pin,
             "--write-object", str(der), "--type", "cert", "--label", obj_label, "--id", obj_id)
    # A module this process already loaded lists only the tokens it saw at start-up.
    pkcs11.lib(module).reinitialize()
    return Token(module, label, key_label, pin)


_token_count = 0
_softhsm_conf: Path | None = None


def softhsm_env(workdir: Path) -> dict[str, str]:
    """The SoftHSM2 configuration of this test process, created in the first caller's ``workdir``."""
    global _softhsm_conf
    if _softhsm_conf is None:  # a loaded module would not read a new one anyway
        tokens = workdir / "tokens"
        tokens.mkdir(parents=True, exist_ok=True)
        conf = workdir / "softhsm2.conf"
        conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
        _softhsm_conf = conf
    return {"SOFTHSM2_CONF": str(_softhsm_conf)}


def nss_db_trusting(workdir: Path, root_pem: bytes) -> str:
    db = workdir / "nss"
    db.mkdir(parents=True, exist_ok=True)
    (workdir / "root.pem").write_bytes(root_pem)
    _run("certutil", "-N", "--empty-password", "-d", f"sql:{db}")
    _run(
        "certutil",
        "-A",
        "-d",
        f"sql:{db}",
        "-n",
        "demo-root",
        "-t",
        "CT,C,C",
        "-i",
        str(workdir / "root.pem"),
    )
    return f"sql:{db}"


def pdfsig_report(pdf_path: Path, nssdir: str) -> dict[str, dict[str, str]]:
    """pdfsig's output per signature field name: {"LanhDao": {"Signature Validation": ..., ...}}."""
    out = subprocess.run(["pdfsig", "-nssdir", nssdir, str(pdf_path)], capture_output=True, text=True,
                         check=False, timeout=120).stdout
    report: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("Signature #"):
            current = {}
        elif line.startswith("- ") and ":" in line and not line.startswith("- Signed Ranges"):
            key, _, value = line[2:].partition(": ")
            current[key] = value
            if key == "Signature Field Name":
                report[value] = current
        elif line.startswith("- "):
            current["coverage"] = line[2:]
    return report


def _run(*cmd: str) -> None:
    subprocess.run(cmd, check=True, capture_output=True, env=os.environ.copy(), timeout=120)


class LocalTsa:
    """A real RFC 3161 HTTP time-stamping server on localhost (pyHanko's DummyTimeStamper behind
    http.server), with its own root certificate, for PAdES B-T tests without network."""

    def __init__(self) -> None:
        import datetime as dt
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from asn1crypto import keys, tsp
        from asn1crypto import x509 as asn1_x509
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        now = dt.datetime.now(dt.UTC)

        def cert(subject_cn, key, issuer, issuer_key, ca):
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)])
            b = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer or name)
                 .public_key(key.public_key()).serial_number(x509.random_serial_number())
                 .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=30))
                 .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
            if not ca:
                b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            return b.sign(issuer_key, hashes.SHA256())

        # pyHanko's DummyTimeStamper signs with RSA only.
        root_key = ec.generate_private_key(ec.SECP256R1())
        tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        root = cert("Test TSA Root", root_key, None, root_key, True)
        tsa = cert("Test TSA", tsa_key, root.subject, root_key, False)
        self.root = asn1_x509.Certificate.load(root.public_bytes(serialization.Encoding.DER))
        stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(tsa.public_bytes(serialization.Encoding.DER)),
            tsa_key=keys.PrivateKeyInfo.load(tsa_key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
            certs_to_embed=[self.root],
        )

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                resp = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(resp)))
                self.end_headers()
                self.wfile.write(resp)

            def log_message(self, *args):
                return  # keep the test output quiet

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
