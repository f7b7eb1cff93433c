"""private_key_jwt client authentication for the test provider: django-oauth-toolkit knows only client
secrets, so its validator (validator.py) hands a token request that carries a client assertion here.

Checked as RFC 7523 (section 3), RFC 7521 and Microsoft Entra ID's certificate credentials say: the
assertion type is jwt-bearer; no other credential rides along; the header's alg is PS256 or RS256 and its
`x5t#S256` / `x5t` (at least one; each one given must match) is the thumbprint of the certificate
registered for the client; the signature verifies with that certificate's public key; aud is this
provider's token endpoint; iss = sub = the client id (and the body's client_id, if any); exp is in the
future, nbf and iat not; the jti was not seen before (remembered until the assertion expires).

A client's registered certificate is the PEM file `client-<client id>.crt` in the provider's state folder
(the test's upload in the app registration's "Certificates & secrets"). A refusal is the token endpoint's
`invalid_client` with the reason as its description, which the application logs.
"""

import base64
import hashlib
import time
from urllib.parse import urljoin

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2.rfc6749 import errors

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS = ("PS256", "RS256")
LEEWAY_SECONDS = 30


def certificate_path(client_id: str):
    return settings.STATE / f"client-{client_id}.crt"


def _thumbprints(certificate: x509.Certificate) -> dict:
    der = certificate.public_bytes(serialization.Encoding.DER)
    return {name: base64.urlsafe_b64encode(digest(der).digest()).rstrip(b"=").decode()
            for name, digest in (("x5t#S256", hashlib.sha256), ("x5t", hashlib.sha1))}


def _refuse(request, reason: str):
    raise errors.InvalidClientError(description=f"client assertion refused: {reason}", request=request)


def token_endpoint(request) -> str:
    return urljoin(oauth2_settings.oidc_issuer(request) + "/", reverse("oauth2_provider:token"))


def authenticate_client_assertion(request) -> str:
    """The client id the assertion proves, or a refusal (raises invalid_client)."""
    if getattr(request, "client_assertion_type", None) != JWT_BEARER:
        _refuse(request, f"client_assertion_type {getattr(request, 'client_assertion_type', None)!r}")
    if request.client_secret or request.headers.get("HTTP_AUTHORIZATION"):
        _refuse(request, "a client secret beside the assertion (one authentication method per request)")
    assertion = request.client_assertion
    try:
        header = jwt.get_unverified_header(assertion)
        client_id = jwt.decode(assertion, options={"verify_signature": False}).get("sub")
    except jwt.PyJWTError as error:
        _refuse(request, f"not a JWT ({error})")
    if not client_id or (request.client_id and request.client_id != client_id):
        _refuse(request, f"sub {client_id!r} is not the client {request.client_id!r}")
    path = certificate_path(client_id)
    if not path.exists():
        _refuse(request, f"no certificate registered for client {client_id!r}")
    certificate = x509.load_pem_x509_certificate(path.read_bytes())
    if header.get("alg") not in ALGORITHMS:
        _refuse(request, f"alg {header.get('alg')!r}")
    expected = _thumbprints(certificate)
    given = {name: header[name] for name in expected if name in header}
    if not given:
        _refuse(request, "no x5t#S256 or x5t header")
    for name, value in given.items():
        if value != expected[name]:
            _refuse(request, f"{name} {value!r} is not the thumbprint of a certificate registered for the client")
    try:
        claims = jwt.decode(assertion, certificate.public_key(), algorithms=[header["alg"]],
                            audience=token_endpoint(request), issuer=client_id, leeway=LEEWAY_SECONDS,
                            options={"require": ["aud", "iss", "sub", "exp", "jti"]})
    except jwt.PyJWTError as error:  # signature by another key, wrong aud or iss, expired, not yet valid
        _refuse(request, f"{error.__class__.__name__}: {error}")
    # after the signature: a forged assertion cannot use up someone's jti
    if not cache.add(f"jti:{client_id}:{claims['jti']}", 1, timeout=max(1, claims["exp"] - int(time.time())
                                                                          + LEEWAY_SECONDS)):
        _refuse(request, f"jti {claims['jti']!r} already used (a replayed assertion)")
    request.client_id = client_id  # RFC 7523: the body's client_id is optional, sub names the client
    return client_id
