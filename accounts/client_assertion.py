"""The application's certificate credential at the provider: private_key_jwt (RFC 7523 client assertion).

Instead of a client secret, the token request carries a short-lived JWT that the application signs with
the private key of a certificate uploaded to the app registration, as Microsoft Entra ID documents for
certificate credentials: header `alg` PS256 (or RS256), `x5t#S256` (and `x5t`, for older Entra) the
base64url SHA-256 (SHA-1) thumbprint of the certificate's DER encoding; claims aud = the token endpoint,
iss = sub = the client id, a unique jti, nbf/iat now, exp a few minutes on.

The key is a PEM file named by OIDC_CLIENT_PRIVATE_KEY, never in the database or the settings: start-up
reads it once to fail loudly on a bad file, and every sign-in reads it again, so a renewed certificate and
key replaced on disk apply without a restart. No Django here beyond ImproperlyConfigured: pmo/settings.py
calls this module before the apps load.
"""

import base64
import hashlib
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_ALGORITHMS = ("PS256", "RS256")  # Entra: PS256 recommended, RS256 still accepted
ASSERTION_SECONDS = 300  # Entra: "keep it short - 5-10 minutes after nbf at most"


def thumbprint(certificate: x509.Certificate, algorithm=hashlib.sha256) -> str:
    """The base64url (unpadded) digest of the certificate's DER encoding: x5t#S256, or x5t with sha1."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    return base64.urlsafe_b64encode(algorithm(der).digest()).rstrip(b"=").decode()


@dataclass(frozen=True)
class ClientCredential:
    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    def headers(self) -> dict:
        return {"x5t#S256": thumbprint(self.certificate),
                "x5t": thumbprint(self.certificate, hashlib.sha1)}  # noqa: S324 - the header Entra defines


def _read(setting: str, path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"{setting}: cannot read {path!r} ({error.strerror or error}).") from error


def load_client_credential(certificate_path: str, private_key_path: str) -> ClientCredential:
    """The certificate (PEM) and its unencrypted RSA private key (PEM), checked to belong together; any
    problem is an ImproperlyConfigured that names the setting and the file."""
    try:
        certificate = x509.load_pem_x509_certificate(_read("OIDC_CLIENT_CERTIFICATE", certificate_path))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"OIDC_CLIENT_CERTIFICATE: {certificate_path!r} is not a PEM certificate ({error}).") from error
    try:
        key = serialization.load_pem_private_key(_read("OIDC_CLIENT_PRIVATE_KEY", private_key_path), password=None)
    except TypeError as error:  # cryptography: "Password was not given but private key is encrypted"
        raise ImproperlyConfigured(
            f"OIDC_CLIENT_PRIVATE_KEY: {private_key_path!r} is encrypted; give the key unencrypted "
            "(readable by the application's user only).") from error
    except ValueError as error:
        raise ImproperlyConfigured(
            f"OIDC_CLIENT_PRIVATE_KEY: {private_key_path!r} is not a PEM private key ({error}).") from error
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ImproperlyConfigured(f"OIDC_CLIENT_PRIVATE_KEY: {private_key_path!r} is not an RSA key "
                                   "(PS256 and RS256, what Entra ID accepts, need one).")
    if key.public_key().public_numbers() != certificate.public_key().public_numbers():
        raise ImproperlyConfigured(f"OIDC_CLIENT_PRIVATE_KEY: {private_key_path!r} is not the key of the "
                                   f"certificate OIDC_CLIENT_CERTIFICATE {certificate_path!r}.")
    return ClientCredential(private_key=key, certificate=certificate)


def client_assertion(credential: ClientCredential, *, client_id: str, audience: str, algorithm: str) -> str:
    """A signed client assertion for one token request at `audience` (the provider's token endpoint)."""
    now = int(time.time())
    claims = {"aud": audience, "iss": client_id, "sub": client_id, "jti": new_jti(),
              "nbf": now, "iat": now, "exp": now + ASSERTION_SECONDS}
    return jwt.encode(claims, credential.private_key, algorithm=algorithm, headers=credential.headers())


def new_jti() -> str:
    """Unique per assertion: the provider refuses one it has seen (a replayed assertion)."""
    return str(uuid.uuid4())


def check_client_authentication(*, client_id: str, secret: str, certificate: str, private_key: str,
                                algorithm: str) -> None:
    """Start-up check of the OIDC client's settings: a client id, and exactly one credential (a secret, or
    a certificate with its key, readable and matching)."""
    if not client_id:
        raise ImproperlyConfigured("OIDC_DISCOVERY_URL is set: OIDC_CLIENT_ID must be set too.")
    if bool(certificate) != bool(private_key):
        raise ImproperlyConfigured(
            "OIDC_CLIENT_CERTIFICATE and OIDC_CLIENT_PRIVATE_KEY go together: set both (or neither).")
    if bool(secret) == bool(certificate):
        raise ImproperlyConfigured(
            "OIDC_DISCOVERY_URL is set: set exactly one client credential, OIDC_CLIENT_SECRET or "
            "OIDC_CLIENT_CERTIFICATE with OIDC_CLIENT_PRIVATE_KEY" + (", not both." if secret else "."))
    if certificate:
        if algorithm not in ASSERTION_ALGORITHMS:
            raise ImproperlyConfigured(
                f"OIDC_CLIENT_ASSERTION_ALGO must be one of {', '.join(ASSERTION_ALGORITHMS)}, not {algorithm!r}.")
        load_client_credential(certificate, private_key)
