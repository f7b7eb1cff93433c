"""The identity provider's access tokens on the API, beside the API tokens (api.framework.auth).

A system that already gets tokens from the company's provider (an Entra app registration, client
credentials grant) calls the API with them instead of holding one of our secrets. The token is a JWT for
our API's audience (OIDC_API_AUDIENCE), checked as the sign-in checks an ID token (accounts.oidc: the
signature with a key of the provider's JWKS, following a rotation, the algorithm, issuer, audience and
expiry). Who it is:
- an application token (no `scp`: the client credentials grant) is the service principal of its
  `azp`/`appid` (or `sub`), which the administrator maps to a local service account (ServicePrincipal);
  it has that account's roles plus those its app roles map to (RoleMapping);
- a delegated token (`scp`: a person through an application) is the directory user it names, active and
  from the directory, with their roles: a leaver the directory deactivated is refused at once.
It may read when its `roles` or `scp` hold OIDC_API_READ_VALUE and write when they hold
OIDC_API_WRITE_VALUE. Whatever is wrong is refused (401) with a log line saying why.
"""

import logging
from dataclasses import dataclass

import requests
from django.conf import settings

from accounts.directory import directory_username, roles_for_values
from accounts.models import ServicePrincipal, User
from accounts.oidc import ProviderTokenRefused, oidc_enabled, provider_signing_key, provider_token_claims

log = logging.getLogger("api.auth")


@dataclass(frozen=True)
class ProviderToken:
    """request.auth of a call with a provider's access token."""

    principal: str  # who the provider vouched for: the client id, or the person's username
    may_write: bool
    claims: dict


def _strings(claim) -> list[str]:
    if claim is None:
        return []
    return [str(value) for value in (claim if isinstance(claim, list | tuple) else [claim])]


def _service_account(claims: dict) -> tuple[User, str]:
    ids = [value for value in (claims.get("azp"), claims.get("appid"), claims.get("sub")) if value]
    mapping = (ServicePrincipal.objects.select_related("user").filter(principal_id__in=[str(i) for i in ids])
               .order_by("pk").first())
    if mapping is None:
        raise ProviderTokenRefused(f"no service principal is mapped for {', '.join(map(str, ids)) or 'no id'}")
    user = mapping.user
    if not user.is_active or user.is_superuser or user.from_directory:
        raise ProviderTokenRefused(f"the service account {user.username} of {mapping.principal_id} may not "
                                   "be used (inactive, superuser or a person)")
    # This request's roles: the account's own and those the token's app roles map to (the directory's word).
    user.roles = user.roles | {role.name for role in roles_for_values(_strings(claims.get("roles")))}
    return user, mapping.principal_id


def _person(claims: dict) -> tuple[User, str]:
    username = directory_username(claims)
    user = User.objects.filter(username__iexact=username, from_directory=True).first() if username else None
    if user is None:
        raise ProviderTokenRefused(f"delegated token for {username or 'nobody'}: no such directory user")
    if not user.is_active:
        raise ProviderTokenRefused(f"delegated token for {user.username}, whom the directory deactivated")
    return user, user.username


def provider_token_authenticate(token: str) -> tuple[User, ProviderToken]:
    """The user and scope of a provider's access token; ProviderTokenRefused (logged) for any fault."""
    try:
        if not (settings.OIDC_API_AUDIENCE and oidc_enabled()):
            raise ProviderTokenRefused("the provider's access tokens are not accepted (OIDC_API_AUDIENCE unset)")
        try:
            claims = provider_token_claims(token, provider_signing_key(token), audience=settings.OIDC_API_AUDIENCE,
                                           issuer=settings.OIDC_API_ISSUER or None)
        except (requests.RequestException, ValueError) as error:  # provider unreachable, a JWKS not JSON
            raise ProviderTokenRefused(f"the provider's keys could not be read: {error.__class__.__name__}") \
                from error
        values = set(_strings(claims.get("roles"))) | set(str(claims.get("scp") or "").split())
        may_write = settings.OIDC_API_WRITE_VALUE in values
        if not (may_write or settings.OIDC_API_READ_VALUE in values):
            raise ProviderTokenRefused(f"the token grants neither {settings.OIDC_API_READ_VALUE} nor "
                                       f"{settings.OIDC_API_WRITE_VALUE}")
        user, principal = _person(claims) if "scp" in claims else _service_account(claims)
    except ProviderTokenRefused as error:
        log.warning("API access token refused: %s", error)
        raise
    return user, ProviderToken(principal=principal, may_write=may_write, claims=claims)
