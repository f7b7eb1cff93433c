from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.framework.base import NotFoundView
from api.views import tokens
from api.views.intakes import IntakeViewSet
from api.views.procurement import PurchaseOrderViewSet, SupplierViewSet
from api.views.projects import ProjectViewSet
from api.views.receiving import GoodsReceiptViewSet, SupplierInvoiceViewSet
from api.views.registers import RiskViewSet
from api.views.registers_routes import register_routes

app_name = "api"

LIST, ONE = {"get": "list"}, {"get": "retrieve"}
# The order page's transitions (receiving and invoicing have their own resources below).
PO_TRANSITIONS = ("submit", "approve", "reject", "send", "close", "cancel")

urlpatterns = [
    path("api/v1/projects/", ProjectViewSet.as_view(LIST), name="projects"),
    path("api/v1/projects/<str:code>/", ProjectViewSet.as_view(ONE), name="project"),
    path("api/v1/projects/<str:code>/risks/", RiskViewSet.as_view({"get": "list", "post": "create"}), name="risks"),
    path("api/v1/projects/<str:code>/risks/<int:number>/",
         RiskViewSet.as_view({"get": "retrieve", "patch": "partial_update"}), name="risk"),
    # --- procurement and intakes (api-procurement) ---
    path("api/v1/suppliers/", SupplierViewSet.as_view(LIST), name="suppliers"),
    path("api/v1/suppliers/<str:vat_number>/", SupplierViewSet.as_view(ONE), name="supplier"),
    path("api/v1/purchase-orders/", PurchaseOrderViewSet.as_view({"get": "list", "post": "create"}),
         name="purchase_orders"),
    path("api/v1/purchase-orders/<str:number>/",
         PurchaseOrderViewSet.as_view({"get": "retrieve", "patch": "partial_update"}), name="purchase_order"),
    *[path(f"api/v1/purchase-orders/<str:number>/{action}/", PurchaseOrderViewSet.as_view({"post": action}),
           name=f"purchase_order_{action}") for action in PO_TRANSITIONS],
    path("api/v1/purchase-orders/<str:number>/receipts/",
         GoodsReceiptViewSet.as_view({"get": "list", "post": "create"}), name="goods_receipts"),
    path("api/v1/purchase-orders/<str:number>/invoices/",
         SupplierInvoiceViewSet.as_view({"get": "list", "post": "create"}), name="supplier_invoices"),
    path("api/v1/intakes/", IntakeViewSet.as_view({"get": "list", "post": "create"}), name="intakes"),
    path("api/v1/intakes/<int:id>/", IntakeViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
         name="intake"),
    path("api/v1/intakes/<int:id>/submit/", IntakeViewSet.as_view({"post": "submit"}), name="intake_submit"),
    # --- end of procurement and intakes ---
    *register_routes,  # the registers, logs, plan, costs, checklists and reports of a project
    # Any other address under the API, a newline in it included (<path:> stops at one), is a problem 404.
    re_path(r"^api/v1/(?P<rest>[\s\S]+)\Z", NotFoundView.as_view({method: "list" for method in
                                                               ("get", "post", "put", "patch", "delete")}),
            name="not_found"),
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
