from django.urls import path

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

urlpatterns = [
    path("portfolio/", portfolio, name="portfolio"),  # before <code>/, which would match it
    path("portfolio/export.xlsx", portfolio_export, name="portfolio_export"),
    path("<str:code>/", report_list, name="reports"),
    path("<str:code>/servicenow.<str:fmt>", servicenow_export, name="servicenow"),
    path("<str:code>/drafts/", report_drafts_create, name="drafts_create"),
    path("<str:code>/<int:pk>/", report_edit, name="report"),
    path("<str:code>/<int:pk>/preview/", report_preview, name="preview"),
    path("<str:code>/<int:pk>/pdf/", report_pdf, name="pdf"),
    path("<str:code>/<int:pk>/retry/", report_retry, name="retry"),
    path("<str:code>/<int:pk>/correct/", report_correct, name="correct"),
]
