"""The base of every API resource. To add one (say, issues of a project):

1. a serializer in api/serializers/ for what is shown (read-only fields; business codes, usernames and
   choice values, never database ids) and, for writes, one for what may be sent (unknown fields refused);
2. a viewset in api/views/: `class XViewSet(List, Retrieve, ApiViewSet)` (Retrieve adds the ETag):
   - `get_queryset()` returns only what the permission module lets the user see (a projects.permissions
     queryset or get_*_for_user): a row the user may not see is then 404, as on the pages;
   - `list_allowed()` says who may list at all (403 otherwise), as the page's view does;
   - writes call `require(permissions.can_...)` (403), validate with `form_data()` through the page's own
     form, and call the page's service (never `.save()` here); updates take `expected_version()` from
     If-Match; creates are decorated with `@idempotent`;
   - a filterset subclassing ApiFilterSet (updated_since comes with it);
3. a route in api/urls.py, a row per method in tests/test_permission_matrix.py (API section), a test in
   tests/test_api_<resource>.py, then `make api-schema` to refresh api/openapi.yaml."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api.framework import language
from api.framework.etags import etag_of
from api.framework.problems import PayloadTooLarge


class Retrieve(mixins.RetrieveModelMixin):
    """GET of one object, with its ETag (api.framework.etags; a resource may name another `etag`)."""

    etag = staticmethod(etag_of)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return Response(self.get_serializer(obj).data, headers={"ETag": self.etag(obj)})


List = mixins.ListModelMixin


class ApiViewSet(viewsets.GenericViewSet):
    """Language, body size, authentication (api.framework.auth), rate limit and problem details for every
    resource; the check of who may list; validation through the page's form."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        # The API authenticates itself (tokens or session) and answers 401, never the sign-in redirect.
        return login_not_required(super().as_view(*args, **kwargs))

    def initial(self, request, *args, **kwargs):
        language.activate_for(request)  # before authentication: a 401 is in the caller's language too
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.API_MAX_BODY_BYTES:
            raise PayloadTooLarge()
        super().initial(request, *args, **kwargs)
        language.activate_for(request, request.user)
        if self.action == "list" and not self.list_allowed():
            raise PermissionDenied

    def list_allowed(self) -> bool:
        return True

    def validated(self, serializer) -> dict:
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def form_data(self, form_class, values: dict, *, instance=None, **form_kwargs) -> dict:
        """Validate `values` (the write serializer's output, merged over the object's current values for a
        PATCH) with the page's form, so the API refuses exactly what the page refuses; returns the form's
        model values for the service."""
        if instance is not None:
            current = model_to_dict(instance, fields=form_class._meta.fields)
        else:  # what the page's form would start from: the model's defaults
            model = form_class._meta.model
            current = {name: field.get_default() for name in form_class._meta.fields
                       if (field := model._meta.get_field(name)).has_default()}
        data = {**current, **{name: getattr(value, "pk", value) for name, value in values.items()}}
        data = {name: "" if value is None else value for name, value in data.items()}
        if instance is not None:
            data["version"] = instance.version
        form = form_class(data, instance=instance, **form_kwargs)
        if not form.is_valid():
            raise ValidationError({"non_field_errors" if name == "__all__" else name: [str(m) for m in messages]
                                   for name, messages in form.errors.items()})
        return form.model_values()


@extend_schema(exclude=True)
class NotFoundView(ApiViewSet):
    """Any other address under /api/v1/ (a malformed number, a resource that does not exist): 404 as problem
    details, like every other refusal, rather than the HTML page."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = []

    def list(self, request, *args, **kwargs):
        raise NotFound()
