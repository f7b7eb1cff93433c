from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import activate
from django.views.decorators.http import require_POST, require_safe

from .break_glass import break_glass_user, log
from .forms import LanguageForm, SignInForm
from .oidc import oidc_enabled
from .services import notifications_mark_read, user_language_set


class LoginView(auth_views.LoginView):
    """The password form while LOCAL_LOGIN is on; with it off only the identity provider's button, and a
    POST of a password is refused (403) before any check."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = SignInForm

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "slowed"):  # slowed down (accounts.sign_in_protection)
            response.status_code = 429
            response["Retry-After"] = str(form.errors.as_data()[NON_FIELD_ERRORS][0].params["seconds"])
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, local_login=settings.LOCAL_LOGIN, oidc_enabled=oidc_enabled(),
            provider_name=settings.OIDC_PROVIDER_NAME,
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_not_required
@require_POST
def set_language(request):
    """Switch the interface language; a signed-in user keeps the choice on every device."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            user_language_set(user=request.user, language=language)
        activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language,
            max_age=settings.LANGUAGE_COOKIE_AGE, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response


@require_safe
def notification_list(request):
    page = Paginator(request.user.notifications.all(), 25).get_page(request.GET.get("page"))
    return render(request, "accounts/notification_list.html", {"page": page})


@require_POST
def notifications_read(request):
    notifications_mark_read(user=request.user)
    return HttpResponseRedirect(reverse("notification_list"))


@login_not_required
def break_glass(request, token):
    """GET shows a button (a link preview must not use the link up); POST signs the superuser in once."""
    user = break_glass_user(token)
    if user is None:
        return render(request, "accounts/break_glass.html", {"invalid": True}, status=410)
    if request.method != "POST":
        return render(request, "accounts/break_glass.html", {"target": user})
    # the session's user is loaded by the local backend, whose get_user works with LOCAL_LOGIN off too
    login(request, user, backend="accounts.backends.LocalPasswordBackend")
    log.warning("break-glass sign-in of %s from %s", user.username, request.META.get("REMOTE_ADDR"))
    return HttpResponseRedirect(reverse("admin:index"))
