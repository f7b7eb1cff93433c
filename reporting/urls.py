"""Included at the site root: the portfolio under /reports/, a project's highlight reports under
/projects/<code>/reports/ beside its other areas."""

from django.urls import path

from projects.lib.urls import moved_permanently
from reporting.views.portfolio import portfolio, portfolio_export
from reporting.views.reports import (
    report_correct,
    report_drafts_create,
    report_edit,
    report_list,
    report_pdf,
    report_preview,
    report_retry,
    servicenow_export,
)

app_name = "reporting"

REPORTS = "projects/<str:code>/reports/"

urlpatterns = [
    path("reports/portfolio/", portfolio, name="portfolio"),  # before reports/<code>/, which would match it
    path("reports/portfolio/export.xlsx", portfolio_export, name="portfolio_export"),
    path(REPORTS, report_list, name="reports"),
    path(f"{REPORTS}servicenow.<str:fmt>", servicenow_export, name="servicenow"),
    path(f"{REPORTS}drafts/", report_drafts_create, name="drafts_create"),
    path(f"{REPORTS}<int:pk>/", report_edit, name="report"),
    path(f"{REPORTS}<int:pk>/preview/", report_preview, name="preview"),
    path(f"{REPORTS}<int:pk>/pdf/", report_pdf, name="pdf"),
    path(f"{REPORTS}<int:pk>/retry/", report_retry, name="retry"),
    path(f"{REPORTS}<int:pk>/correct/", report_correct, name="correct"),
]
# Where a project's reports used to be: links in sent e-mails keep working.
urlpatterns += moved_permanently("reports/<str:code>/", "/projects/%(code)s/reports/")
