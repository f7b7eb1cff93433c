from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.framework.base import NotFoundView
from api.views import tokens
from api.views.projects import ProjectViewSet
from api.views.registers import RiskViewSet
from api.views.registers_routes import register_routes

app_name = "api"

LIST, ONE = {"get": "list"}, {"get": "retrieve"}

urlpatterns = [
    path("api/v1/projects/", ProjectViewSet.as_view(LIST), name="projects"),
    path("api/v1/projects/<str:code>/", ProjectViewSet.as_view(ONE), name="project"),
    path("api/v1/projects/<str:code>/risks/", RiskViewSet.as_view({"get": "list", "post": "create"}), name="risks"),
    path("api/v1/projects/<str:code>/risks/<int:number>/",
         RiskViewSet.as_view({"get": "retrieve", "patch": "partial_update"}), name="risk"),
    *register_routes,  # the registers, logs, plan, costs, checklists and reports of a project
    path("api/v1/<path:rest>", NotFoundView.as_view({method: "list" for method in
                                                     ("get", "post", "put", "patch", "delete")}), name="not_found"),
    # The document and its explorer are public, like any published API contract; the data is not.
    path("api/schema/", login_not_required(SpectacularAPIView.as_view(authentication_classes=[],
                                                                      permission_classes=[],
                                                                      throttle_classes=[])), name="schema"),
    # Swagger UI sets style attributes from its script: allowed on this page alone, which shows no user data
    # (its scripts stay 'self' only).
    path("api/docs/", login_not_required(csp_update({"style-src": ["'unsafe-inline'"]})(
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", authentication_classes=[], permission_classes=[],
                                            throttle_classes=[]))), name="docs"),
    path("accounts/api-tokens/", tokens.token_list, name="tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", tokens.token_revoke_view, name="token_revoke"),
]
