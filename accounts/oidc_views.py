"""The sign-in through the identity provider: start (redirect with state, nonce and PKCE) and callback.

Anything wrong on the way back (an unknown or replayed state, a token refused by accounts.oidc, the
provider unreachable or refusing our client's credential, a user this application does not sign in)
gives the same clear page, status 403, and a log line with the reason; never a 500. The page does not
tell which check failed: the log does.
"""

import logging

import requests
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .oidc import oidc_enabled, oidc_setting, provider_metadata

log = logging.getLogger("accounts.oidc")


def sign_in_refused(request, reason: str):
    log.warning("OIDC sign-in refused (address %s): %s", request.META.get("REMOTE_ADDR"), reason)
    return render(request, "accounts/oidc_refused.html", status=403)


class _Guarded:
    def dispatch(self, request, *args, **kwargs):
        if not oidc_enabled():
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)
        # ImproperlyConfigured: the certificate credential's files, read at each sign-in, went missing
        except (SuspiciousOperation, ImproperlyConfigured, requests.RequestException, ValueError, KeyError) as error:
            return sign_in_refused(request, f"{error.__class__.__name__}: {error}")


@method_decorator(login_not_required, name="dispatch")
class OIDCStartView(_Guarded, OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # The library reads the endpoint here, outside dispatch's guard: read it at the request instead.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = oidc_setting("OIDC_RP_CLIENT_ID")
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class OIDCCallbackView(_Guarded, OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def login_failure(self):
        error = self.request.GET.get("error")
        if error:
            return sign_in_refused(self.request, f"the provider answered {error}: "
                                                 f"{self.request.GET.get('error_description', '')[:200]}")
        return sign_in_refused(self.request, "no user signed in (token, state or user refused; see above)")
