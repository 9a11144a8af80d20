"""Plain facts the file's own evidence states, for the reasons a verdict gives: whether its revocation
data says a signer's certificate was revoked (and when), and whether a signature time-stamp's TSA
chains to the trusted roots at all (an ended certificate is not an untrusted TSA)."""
from __future__ import annotations

from datetime import datetime

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import ades, generic_cms
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator.errors import PathBuildingError
from pyhanko_certvalidator.registry import CertificateRegistry, PathBuilder, TrustManager


def revoked_since(reader: PdfFileReader, cert: asn1_x509.Certificate) -> datetime | None:
    """The earliest revocation time the file's DSS states for ``cert`` (OCSP or CRL), else None."""
    known = ades._dss_to_local_knowledge(reader=reader)
    times = []
    for container in known.known_ocsps:
        single = container.extract_single_response()
        if single is None or single["cert_id"]["serial_number"].native != cert.serial_number:
            continue
        status = single["cert_status"]
        if status.name == "revoked":
            times.append(status.chosen["revocation_time"].native)
    for container in known.known_crls:
        crl = container.crl_data
        if crl.issuer != cert.issuer:
            continue
        for entry in crl["tbs_cert_list"]["revoked_certificates"] or []:
            if entry["user_certificate"].native == cert.serial_number:
                times.append(entry["revocation_date"].native)
    return min(times, default=None)


async def chains_to_roots(cert: asn1_x509.Certificate, others: list[asn1_x509.Certificate],
                          trust: TrustManager) -> bool:
    try:
        paths = await PathBuilder(trust, CertificateRegistry.build(others)).async_build_paths(cert)
    except (PathBuildingError, ValueError, KeyError):
        return False
    return bool(paths)


async def signature_tsa_trusted(sig: EmbeddedPdfSignature, trust: TrustManager) -> bool:
    """Whether a signature time-stamp's TSA chains to the trusted roots (whatever its validity today)."""
    dss_certs = list(ades._dss_to_local_knowledge(reader=sig.reader).known_certs)
    for token in generic_cms.extract_tst_data_iter(sig.signer_info, signed=False):
        cert, carried = token_signer(token)
        if cert is not None and await chains_to_roots(cert, carried + dss_certs, trust):
            return True
    return False


def token_signer(token: cms.SignedData) -> tuple[asn1_x509.Certificate | None, list[asn1_x509.Certificate]]:
    """(the certificate that signed a time-stamp token, the certificates it carries)."""
    certs = [c.chosen for c in token["certificates"] or [] if c.name == "certificate"]
    sid = token["signer_infos"][0]["sid"]
    for cert in certs:
        serial = sid.chosen["serial_number"].native if sid.name == "issuer_and_serial_number" else None
        if serial is not None and cert.serial_number == serial:
            return cert, certs
        if sid.name == "subject_key_identifier" and cert.key_identifier == sid.chosen.native:
            return cert, certs
    return None, certs
