from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from pmo.views.approvals import approvals, budget_decision
from pmo.views.home import home
from pmo.views.system import favicon, healthz
from projects.views import billing, closing, meetings, registers, resources, safety

_admin_login = admin.site.login


def admin_login(request, extra_context=None):
    """A signed-in user without admin rights gets the app's 403 page, not a second sign-in form."""
    if request.user.is_authenticated and not request.user.is_staff:
        raise PermissionDenied
    return _admin_login(request, extra_context)


admin.site.login = admin_login
admin.site.site_header = _("PMO administration")
admin.site.site_title = _("PMO administration")
admin.site.index_title = _("Reference data, users and thresholds")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("", include("reporting.urls")),  # reports/portfolio/ and projects/<code>/reports/
    path("projects/", include("projects.urls.projects")),
    path("intakes/", include("projects.urls.intakes")),
    path("customers/", include("projects.urls.customers")),
    path("procurement/", include("procurement.urls")),
    path("planning/workload/", resources.workload_view, name="workload"),
    path("planning/resources/", resources.resource_list, name="resource_list"),
    path("planning/resources/new/", resources.resource_edit, name="resource_create"),
    path("planning/resources/<int:pk>/", resources.resource_edit, name="resource_edit"),
    path("planning/resources/<int:pk>/absences/", resources.absence_add, name="absence_add"),
    path("planning/resources/<int:pk>/calendar/", resources.calendar_token_renew, name="calendar_token_renew"),
    path("planning/calendar/<str:token>.ics", resources.calendar_feed, name="calendar_feed"),
    path("registers/", registers.registers_overview, name="registers_overview"),
    path("billing/ready/", billing.billing_ready_list, name="billing_ready"),
    path("meetings/", meetings.meetings_overview, name="meetings_overview"),
    path("timesheets/", include("projects.urls.timesheets")),
    path("safety/", safety.safety_overview, name="safety_overview"),
    path("survey/<str:token>/", closing.survey, name="survey"),
    path("minutes/<str:token>/", meetings.minutes_confirm, name="minutes_confirm"),
    path("webhooks/", include("webhooks.urls")),
    path("approvals/", approvals, name="approvals"),
    path("approvals/budgets/<int:pk>/", budget_decision, name="budget_decision"),
    path("", include("api.urls")),  # /api/v1/..., /api/schema/, /api/docs/, /accounts/api-tokens/
    path("admin/", admin.site.urls),
    path("scim/v2/", include("django_scim.urls", namespace="scim")),
]

handler403 = "pmo.views.system.error_403"
handler404 = "pmo.views.system.error_404"
