"""Errors as RFC 9457 problem details (application/problem+json), in the caller's language.

Every refusal the API gives goes through problem_response: DRF's own exceptions, Django's 404 and 403
(the permission module raises those), the services' DomainError (a business rule, 422) and StaleEdit
(412), and the API's own below. `type` is a URI reference naming the kind of problem; `title` is the
same for every occurrence of that kind; `detail` says what happened this time; validation problems
add `errors`, one entry per field (`pointer` is a JSON pointer into the request body, RFC 6901)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from projects.domain import DomainError, StaleEdit

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("Someone else changed this object meanwhile: read it again (its ETag) and retry.")
    default_code = "stale"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Send the object's ETag in If-Match, so that a change made meanwhile is not overwritten.")
    default_code = "if-match-required"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too-large"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used for another request.")
    default_code = "idempotency-key-reused"


class BusinessRule(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("The request breaks a business rule.")
    default_code = "business-rule"


# (type, title) per kind of problem: the title is translated, the type is not.
TITLES = {
    400: ("validation", _("Your request has invalid fields.")),
    401: ("unauthenticated", _("Authentication is needed.")),
    403: ("forbidden", _("You may not do this.")),
    404: ("not-found", _("Not found.")),
    405: ("method-not-allowed", _("Method not allowed.")),
    406: ("not-acceptable", _("The response cannot be given in the format asked for.")),
    412: ("stale", _("The object was changed meanwhile.")),
    413: ("too-large", _("The request body is too large.")),
    415: ("unsupported-media-type", _("Send JSON (application/json).")),
    422: ("business-rule", _("The request breaks a business rule.")),
    428: ("if-match-required", _("If-Match is needed.")),
    429: ("rate-limited", _("Too many requests.")),
}
SPECIFIC = {
    "idempotency-key-reused": _("This Idempotency-Key was already used for another request."),
    "parse_error": _("The request body is not valid JSON."),
}


def _field_errors(detail, pointer="") -> list[dict]:
    """DRF's nested error structure as a flat list of {pointer, detail}."""
    if isinstance(detail, dict):
        return [error for key, value in detail.items()
                for error in _field_errors(value, f"{pointer}/{key}" if key != "non_field_errors" else pointer)]
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [{"pointer": f"#{pointer}", "detail": str(item)} for item in detail]
        return [error for index, item in enumerate(detail) for error in _field_errors(item, f"{pointer}/{index}")]
    return [{"pointer": f"#{pointer}", "detail": str(detail)}]


def problem(status_code: int, detail: str, *, kind: str | None = None, errors=None, headers=None) -> Response:
    slug, title = TITLES.get(status_code, ("error", _("The request failed.")))
    if kind in SPECIFIC:
        slug, title = kind.replace("_", "-"), SPECIFIC[kind]
    body = {"type": TYPE_BASE + slug, "title": str(title), "status": status_code, "detail": str(detail)}
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_JSON)


def problem_response(exc, context):
    """DRF's EXCEPTION_HANDLER. Anything not listed is left to Django (a 500, logged)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, StaleEdit):
        exc = PreconditionFailed(str(exc))
    elif isinstance(exc, DomainError):
        exc = BusinessRule(str(exc))
    if not isinstance(exc, exceptions.APIException):
        return None
    set_rollback()
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    if isinstance(exc, exceptions.ValidationError):
        return problem(400, _("Correct the fields listed in errors."), errors=_field_errors(exc.detail),
                       headers=headers)
    detail = exc.detail if not isinstance(exc.detail, (list, dict)) else _field_errors(exc.detail)[0]["detail"]
    kind = exc.default_code if isinstance(exc, IdempotencyKeyReused) else getattr(exc.detail, "code", None)
    return problem(exc.status_code, detail, kind=kind, headers=headers)
