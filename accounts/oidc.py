"""OpenID Connect sign-in (authorization code flow with PKCE, state and nonce) on mozilla-django-oidc.

mozilla-django-oidc does the flow, the state/nonce/PKCE bookkeeping in the session and the signature check
against the provider's JWKS. What it leaves out, added here: the endpoints come from the provider's
discovery document; the ID token's issuer and audience are checked (the library decodes with verify_aud
off and no issuer); the JWKS is cached and fetched again when a token names a key it does not hold (key
rotation); the user and the roles come from the verified ID token's claims (accounts.directory); with a
certificate configured the client authenticates at the token endpoint with a signed client assertion
(private_key_jwt, accounts.client_assertion) instead of its secret.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.utils.encoding import smart_str
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from .client_assertion import JWT_BEARER, client_assertion, load_client_credential
from .directory import DirectorySignInRefused, directory_user_sign_in
from .models import User

log = logging.getLogger("accounts.oidc")

_CACHE_SECONDS = 3600
# mozilla-django-oidc's setting names -> the discovery document's keys
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_ISSUER": "issuer",
}


def oidc_enabled() -> bool:
    return bool(settings.OIDC_DISCOVERY_URL)


def _get_json(url: str) -> dict:
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    return response.json()


def provider_metadata() -> dict:
    """The provider's discovery document, cached for an hour."""
    key = f"oidc:discovery:{settings.OIDC_DISCOVERY_URL}"
    metadata = cache.get(key)
    if metadata is None:
        metadata = _get_json(settings.OIDC_DISCOVERY_URL)
        missing = [name for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
                   if not metadata.get(name)]
        if missing:
            raise SuspiciousOperation(f"discovery document without {', '.join(missing)}")
        cache.set(key, metadata, _CACHE_SECONDS)
    return metadata


def oidc_setting(attr, *default):
    """mozilla-django-oidc's settings, with the endpoints from the discovery document."""
    if attr in _DISCOVERED:
        return provider_metadata()[_DISCOVERED[attr]]
    return import_from_settings(attr, *default)


def provider_jwks(*, refresh: bool = False) -> dict:
    key = f"oidc:jwks:{settings.OIDC_DISCOVERY_URL}"
    jwks = None if refresh else cache.get(key)
    if jwks is None:
        jwks = _get_json(provider_metadata()["jwks_uri"])
        cache.set(key, jwks, _CACHE_SECONDS)
    return jwks


def _matching_key(jwks: dict, header: dict):
    for jwk in jwks.get("keys", []):
        if jwk.get("kid") == smart_str(header.get("kid")) and jwk.get("alg", header.get("alg")) == header.get("alg"):
            return jwk
    return None


class ProviderTokenRefused(SuspiciousOperation):
    """A token that claims to come from the provider and does not pass the checks; the message says why."""


# A token naming a key we do not hold makes us fetch the JWKS again (the provider rotated its key), at
# most once per this many seconds: anyone can send the API a token with a made-up kid, and each must not
# cost the provider a request.
_JWKS_REFRESH_SECONDS = 30


def _checked_header(token: str) -> dict:
    """The token's header, if it is a JWT signed with the algorithm we expect (never `none` or a symmetric
    one): checked before any key is looked up."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise ProviderTokenRefused(f"not a JWT: {error}") from error
    if header.get("alg") != settings.OIDC_RP_SIGN_ALGO:
        raise ProviderTokenRefused(f"token signed with {header.get('alg')!r}, expected {settings.OIDC_RP_SIGN_ALGO!r}")
    return header


def provider_signing_key(token: str) -> jwt.PyJWK:
    """The provider's public key that `token`'s header names, from the cached JWKS or, after a rotation,
    from the JWKS fetched again."""
    header = _checked_header(token)
    jwk = _matching_key(provider_jwks(), header)
    if jwk is None and cache.add(f"oidc:jwks-refreshed:{settings.OIDC_DISCOVERY_URL}", 1, _JWKS_REFRESH_SECONDS):
        jwk = _matching_key(provider_jwks(refresh=True), header)  # a key the provider rotated in since
    if jwk is None:
        raise ProviderTokenRefused(f"no key {header.get('kid')!r} in the provider's JWKS")
    return jwt.PyJWK(jwk)


def provider_token_claims(token: str, key, *, audience: str, issuer: str | None = None) -> dict:
    """The claims of a JWT the provider signed, after the checks every provider token gets: the algorithm
    we expect, the signature with `key`, the issuer (the discovery
    document's unless given), the audience and the expiry (with OIDC_LEEWAY_SECONDS of clock skew)."""
    alg = _checked_header(token)["alg"]
    try:
        return jwt.decode(
            token, key, algorithms=[alg], audience=audience, issuer=issuer or provider_metadata()["issuer"],
            leeway=settings.OIDC_LEEWAY_SECONDS, options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.PyJWTError as error:  # bad signature, expired, wrong audience or issuer, ...
        raise ProviderTokenRefused(f"{error.__class__.__name__}: {error}") from error


class DirectoryBackend(OIDCAuthenticationBackend):
    """Signs in the user an ID token names, after the checks of the module's docstring."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # The library reads every endpoint here; this backend is also built to load the session's user on
        # every request, which must not need the provider: endpoints are read when a sign-in needs them.
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = User

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 - the library's attribute names
        return provider_metadata()["token_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return provider_metadata()["jwks_uri"]

    def get_token(self, payload):
        # The library's token request, with the certificate credential in place of the secret when one is
        # configured (RFC 7521: one authentication method per request, so no client_secret beside it).
        if settings.OIDC_CLIENT_CERTIFICATE:
            credential = load_client_credential(settings.OIDC_CLIENT_CERTIFICATE, settings.OIDC_CLIENT_PRIVATE_KEY)
            payload = {name: value for name, value in payload.items() if name != "client_secret"}
            payload["client_assertion_type"] = JWT_BEARER
            payload["client_assertion"] = client_assertion(
                credential, client_id=self.OIDC_RP_CLIENT_ID, audience=self.OIDC_OP_TOKEN_ENDPOINT,
                algorithm=settings.OIDC_CLIENT_ASSERTION_ALGO)
        return super().get_token(payload)

    def retrieve_matching_jwk(self, token):
        return provider_signing_key(token)

    def _verify_jws(self, payload, key):
        try:
            return provider_token_claims(payload, key, audience=self.OIDC_RP_CLIENT_ID)
        except ProviderTokenRefused as error:
            raise ProviderTokenRefused(f"ID token refused: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        # The verified ID token carries what we need (Entra puts app roles and groups there, not in userinfo).
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            return directory_user_sign_in(claims=payload)
        except DirectorySignInRefused as error:
            raise SuspiciousOperation(str(error)) from error

    def authenticate(self, request, **kwargs):
        if not oidc_enabled() or request is None or "code" not in request.GET:
            return None  # a password sign-in: not ours
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        # ModelBackend's: a deactivated user's session ends at its next request.
        return ModelBackend.get_user(self, user_id)
