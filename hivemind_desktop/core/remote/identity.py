"""The worker's TLS identity: a self-signed key and certificate kept in its data folder.

A paired computer pins the certificate's SHA-256 fingerprint, so no certificate
authority and no host name are involved; the certificate only has to stay the same. The
key file is owner-only (0600) from the moment it exists: it is created with that mode,
never chmod-ed afterwards.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

KEY_FILE = "remote-key.pem"
CERT_FILE = "remote-cert.pem"
VALID_DAYS = 3650  # the pin, not the dates, is what a peer checks


@dataclass(frozen=True)
class Identity:
    key_path: Path
    cert_path: Path
    fingerprint: str  # SHA-256 of the DER certificate, lowercase hex

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.cert_path, self.key_path)
        return context


def fingerprint_of(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def load_or_create(folder: Path, common_name: str = "hivemind-worker") -> Identity:
    """The identity in `folder`, made on first use (an EC P-256 key)."""
    folder.mkdir(parents=True, exist_ok=True)
    key_path, cert_path = folder / KEY_FILE, folder / CERT_FILE
    if not (key_path.exists() and cert_path.exists()):
        _create(key_path, cert_path, common_name)
    pem = cert_path.read_bytes()
    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    return Identity(key_path, cert_path, fingerprint_of(der))


def _create(key_path: Path, cert_path: Path, common_name: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_private(key_path, key_pem)
    tmp = cert_path.with_suffix(".tmp")
    tmp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    os.replace(tmp, cert_path)


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, replacing any older one atomically."""
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)
