"""The signed-in person's API tokens page: make one (its secret shown once), list them, revoke one."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import TokenForm
from api.services.tokens import token_create, token_revoke
from projects.domain import DomainError
from projects.forms.base import posted


@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(posted(request))
    secret = None
    if form.is_valid():
        try:
            token, secret = token_create(user=request.user, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            form = TokenForm()  # the secret is rendered in this answer only, never stored or redirected to
            messages.success(request, _("Token %(name)s made.") % {"name": token.name})
    tokens = request.user.api_tokens.all()
    return render(request, "api/token_list.html", {"form": form, "tokens": tokens, "secret": secret})


@require_POST
def token_revoke_view(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)  # another person's token: 404
    token_revoke(token=token, by=request.user)
    messages.success(request, _("Token %(name)s revoked: it no longer works.") % {"name": token.name})
    return redirect("api:tokens")
