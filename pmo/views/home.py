"""The signed-in user's home page."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from pmo.selectors import home_for_user


@require_safe
def home(request):
    return render(request, "reporting/home.html", home_for_user(request.user))
