"""Users and roles from the company's directory: the identity provider's sign-in and SCIM provisioning.

A directory user's roles are what the directory says, through the administrator's RoleMapping: they are
replaced at each sign-in (from the ID token's `roles` and `groups` claims) and at each SCIM change of
their groups. Local accounts (from_directory=False) are never touched here.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from .models import RoleMapping, User

log = logging.getLogger("accounts.directory")


class DirectorySignInRefused(Exception):
    """The provider vouched for someone this application will not sign in; the message says why (logged)."""


def directory_values_from_claims(claims: dict) -> list[str]:
    """App roles (Entra's `roles`) and group ids (`groups`) of an ID token, as strings."""
    values = []
    for name in ("roles", "groups"):
        claim = claims.get(name) or []
        if isinstance(claim, str):
            claim = [claim]
        values.extend(str(value) for value in claim)
    return values


def roles_for_values(values) -> set[Group]:
    return {mapping.role for mapping in RoleMapping.objects.filter(external_value__in=list(values))
            .select_related("role")}


def directory_roles_apply(*, user: User, values) -> set[str]:
    """Give a directory user exactly the roles the directory values map to; returns the role names."""
    roles = roles_for_values(values)
    user.groups.set(roles)
    user.__dict__.pop("roles", None)  # the cached property of this request
    names = {role.name for role in roles}
    log.info("directory roles of %s: %s", user.username, ", ".join(sorted(names)) or "none")
    return names


def directory_group_roles_apply(*, user: User) -> set[str]:
    """After a SCIM change of groups: the roles of the user's directory groups (external id or name mapped)."""
    values = []
    for group in user.directory_groups.all():
        values.extend(value for value in (group.scim_external_id, group.name) if value)
    return directory_roles_apply(user=user, values=values)


def _language_from_claims(claims: dict) -> str | None:
    # OIDC's `locale` (e.g. "nl-BE"); Entra sends `xms_pl` (user's preferred language) as an optional claim.
    for name in ("locale", "xms_pl"):
        value = str(claims.get(name) or "").replace("_", "-").split("-")[0].lower()
        if value in dict(settings.LANGUAGES):
            return value
    return None


def directory_username(claims: dict) -> str:
    # Entra's preferred_username is the UPN, the same as SCIM's userName by default: both find one user.
    return str(claims.get("preferred_username") or claims.get("email") or claims.get("upn") or "").strip()[:150]


@transaction.atomic
def directory_user_sign_in(*, claims: dict) -> User:
    """The user an ID token (already verified) signs in: created at the first sign-in, name, e-mail and
    language refreshed, roles re-applied from the token. Refuses a local account of the same name and a
    user the directory deactivated (SCIM)."""
    username = directory_username(claims)
    if not username:
        raise DirectorySignInRefused("the token has no preferred_username or email claim")
    user = User.objects.select_for_update().filter(username__iexact=username).first()
    if user is None:
        user = User(username=username, from_directory=True)
        user.set_unusable_password()
        language = _language_from_claims(claims)
        if language:
            user.language = language
        log.info("directory sign-in creates user %s", username)
    elif not user.from_directory:
        raise DirectorySignInRefused(f"{username} is a local account, not a directory one")
    elif not user.is_active:
        raise DirectorySignInRefused(f"{username} is deactivated")
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    if not (claims.get("given_name") or claims.get("family_name")) and claims.get("name") and not user.first_name:
        user.first_name = str(claims["name"])[:150]
    user.email = str(claims.get("email") or user.email)[:254]
    user.save()
    directory_roles_apply(user=user, values=directory_values_from_claims(claims))
    return user


@transaction.atomic
def directory_user_deactivate(*, user: User) -> None:
    """A leaver (SCIM active=false or DELETE): no sign-in, and the live sessions end at their next request
    (the authentication backends load only active users). The row stays for the history that names them."""
    user.is_active = False
    user.save()
    user.groups.clear()
    log.warning("directory deactivates user %s", user.username)
