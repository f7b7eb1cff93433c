"""Request guards and response headers that hold for every page."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control

from projects.lib.text import BIDI_CONTROLS, strip_bidi_controls

NUL = "\x00"


def permissions_policy(get_response):
    """Every response, static files included, switches off the browser features the application never
    uses (camera, microphone, geolocation, ...), so an injected script or frame cannot ask for them."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def _has_nul(request) -> bool:
    if NUL in request.path_info or NUL in request.path:
        return True
    texts = [*request.COOKIES.keys(), *request.COOKIES.values()]
    forms = [request.GET]
    if request.method == "POST":
        forms.append(request.POST)
    for form in forms:
        for key, values in form.lists():
            texts.append(key)
            texts.extend(values)
    return any(NUL in text for text in texts)


def refuse_nul_bytes(get_response):
    """A NUL character in the address, the query, a form or a cookie gets 400: PostgreSQL refuses it
    in any string (psycopg2 raises ValueError), so it would otherwise end as a 500 wherever it reaches
    a lookup. No person types one (uploaded file names lose theirs in Django's parser). Runs before
    the session is read, so the page is the anonymous one."""

    def middleware(request):
        if _has_nul(request):
            with translation.override(translation.get_language_from_request(request)):
                return render(request, "400.html", status=400)
        return get_response(request)

    return middleware


def strip_bidi_controls_from_forms(get_response):
    """Every text a form posts loses its bidirectional controls, in this one place for every field of
    every form (the admin's too): a right-to-left override in a supplier name 'invoice\u202efdp.exe'
    would print as 'invoiceexe.pdf' on the order the supplier receives. Passwords are taken as typed.
    Uploaded file names lose them in Django's parser already."""

    def middleware(request):
        if request.method == "POST" and any(BIDI_CONTROLS.search(value) for value in _texts(request.POST)):
            cleaned = request.POST.copy()
            for key, values in request.POST.lists():
                if "password" not in key:
                    cleaned.setlist(key, [strip_bidi_controls(value) for value in values])
            cleaned._mutable = False
            request.POST = cleaned
        return get_response(request)

    return middleware


def _texts(form):
    for values in form.lists():
        yield from values[1]


def private_pages_not_stored(get_response):
    """A page served to a signed-in person is theirs: no browser or proxy cache keeps a copy (the back
    button after signing out on a shared PC, a proxy between offices). Static files never reach this
    middleware: WhiteNoise answers them earlier."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
