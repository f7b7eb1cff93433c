from django.urls import path

from . import portfolio_views, report_views

app_name = "reporting"

urlpatterns = [
    path("portfolio/", portfolio_views.portfolio, name="portfolio"),  # before <code>/, which would match it
    path("portfolio/export.xlsx", portfolio_views.portfolio_export, name="portfolio_export"),
    path("<str:code>/", report_views.report_list, name="reports"),
    path("<str:code>/servicenow.<str:fmt>", report_views.servicenow_export, name="servicenow"),
    path("<str:code>/drafts/", report_views.report_drafts_create, name="drafts_create"),
    path("<str:code>/<int:pk>/", report_views.report_edit, name="report"),
    path("<str:code>/<int:pk>/preview/", report_views.report_preview, name="preview"),
    path("<str:code>/<int:pk>/pdf/", report_views.report_pdf, name="pdf"),
    path("<str:code>/<int:pk>/retry/", report_views.report_retry, name="retry"),
    path("<str:code>/<int:pk>/correct/", report_views.report_correct, name="correct"),
]
