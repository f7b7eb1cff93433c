"""Which addresses a webhook may be posted to.

Only http and https with a host name, never a redirect followed (a receiver cannot bounce the POST
elsewhere). Private, loopback and link-local addresses are allowed by default: receivers on the
company network (a ServiceNow MID server, an integration host) are the usual case, and the people who
subscribe are the PMO lead and administrators. WEBHOOK_BLOCK_PRIVATE_ADDRESSES=true refuses them,
checked when each POST is made (so a name that later resolves inward is refused too)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

SCHEMES = ("http", "https")


class AddressRefused(Exception):
    pass


def address_problem(url: str) -> str | None:
    """Why `url` is not a webhook address, or None."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        return _("Use an http or https address.")
    if not parts.hostname:
        return _("The address needs a host name.")
    if parts.username or parts.password:
        return _("Leave the user name and password out of the address: the signature authenticates.")
    return None


def check_destination(url: str) -> None:
    """Raise AddressRefused when the address may not be posted to now."""
    problem = address_problem(url)
    if problem:
        raise AddressRefused(problem)
    if not settings.WEBHOOK_BLOCK_PRIVATE_ADDRESSES:
        return
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as error:
        raise AddressRefused(f"{parts.hostname}: {error}") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise AddressRefused(_("%(host)s is a private address.") % {"host": parts.hostname})
