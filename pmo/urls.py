from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from reporting import views as reporting_views

from . import views

urlpatterns = [
    path("", reporting_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("projects/", include("projects.urls")),
    path("intakes/", include("projects.intake_urls")),
    path("customers/", include("projects.customer_urls")),
    path("procurement/", include("procurement.urls")),
    path("approvals/", reporting_views.approvals, name="approvals"),
    path("approvals/budgets/<int:pk>/", reporting_views.budget_decision, name="budget_decision"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = _("PMO administration")
admin.site.site_title = _("PMO administration")
admin.site.index_title = _("Reference data, users and thresholds")

handler403 = "pmo.views.error_403"
handler404 = "pmo.views.error_404"
