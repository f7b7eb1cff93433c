from django.urls import path

from . import change_views, closing_views, plan_views, quality_views, register_views, resource_views, views

app_name = "projects"


def _log_urls(log: str, entry: str) -> list:
    """The decision log, action items and lessons log share their views (register_views.LOGS)."""
    kwargs = {"log": log}
    return [
        path(f"<str:code>/{log}/", register_views.log_list, kwargs, name=log),
        path(f"<str:code>/{log}/new/", register_views.log_edit, kwargs, name=f"{entry}_create"),
        path(f"<str:code>/{log}/export.xlsx", register_views.log_export, kwargs, name=f"{entry}_export"),
        path(f"<str:code>/{log}/<int:number>/", register_views.log_edit, kwargs, name=f"{entry}_edit"),
        path(f"<str:code>/{log}/<int:number>/history/", register_views.log_history, kwargs, name=f"{entry}_history"),
    ]


urlpatterns = [
    path("", views.project_list, name="list"),
    path("<str:code>/", views.project_detail, name="detail"),
    path("<str:code>/history/", views.project_history, name="history"),
    path("<str:code>/status/<slug:action>/", views.project_transition, name="transition"),
    path("<str:code>/budget/", views.project_budget, name="budget"),
    path("<str:code>/budget/history/", views.project_budget_history, name="budget_history"),
    path("<str:code>/budget/submit/", views.project_budget_submit, name="budget_submit"),
    path("<str:code>/documents/", views.project_documents, name="documents"),
    path("<str:code>/risks/", register_views.risk_list, name="risks"),
    path("<str:code>/risks/new/", register_views.risk_edit, name="risk_create"),
    path("<str:code>/risks/export.xlsx", register_views.risk_export, name="risk_export"),
    path("<str:code>/risks/<int:number>/", register_views.risk_edit, name="risk_edit"),
    path("<str:code>/risks/<int:number>/history/", register_views.risk_history, name="risk_history"),
    path("<str:code>/issues/", register_views.issue_list, name="issues"),
    path("<str:code>/issues/new/", register_views.issue_edit, name="issue_create"),
    path("<str:code>/issues/<int:number>/", register_views.issue_edit, name="issue_edit"),
    path("<str:code>/issues/<int:number>/history/", register_views.issue_history, name="issue_history"),
    path("<str:code>/issues/export.xlsx", register_views.issue_export, name="issue_export"),
    path("<str:code>/changes/", change_views.change_list, name="changes"),
    path("<str:code>/changes/new/", change_views.change_edit, name="change_create"),
    path("<str:code>/changes/export.xlsx", change_views.change_export, name="change_export"),
    path("<str:code>/changes/<int:number>/", change_views.change_detail, name="change_detail"),
    path("<str:code>/changes/<int:number>/edit/", change_views.change_edit, name="change_edit"),
    path("<str:code>/changes/<int:number>/submit/", change_views.change_submit, name="change_submit"),
    path("<str:code>/changes/<int:number>/decide/", change_views.change_decide, name="change_decide"),
    path("<str:code>/changes/<int:number>/history/", change_views.change_history, name="change_history"),
    path("<str:code>/baselines/", change_views.baseline_compare, name="baselines"),
    path("<str:code>/tolerances/", change_views.tolerances, name="tolerances"),
    path("<str:code>/exceptions/<int:pk>/", change_views.exception_report, name="exception"),
    path("<str:code>/closing/", closing_views.closing, name="closing"),
    path("<str:code>/satisfaction/", closing_views.project_satisfaction, name="satisfaction"),
    path("<str:code>/quality/", quality_views.quality_register, name="quality"),
    path("<str:code>/quality/<int:number>/", quality_views.checklist, name="checklist"),
    path("<str:code>/quality/<int:number>/sign-off/", quality_views.checklist_sign_off, name="checklist_sign_off"),
    path("<str:code>/quality/<int:number>/history/", quality_views.checklist_history, name="checklist_history"),
    path("<str:code>/quality/<int:number>/evidence/<int:pk>/", quality_views.checklist_evidence,
         name="checklist_evidence"),
    path("<str:code>/safety/", quality_views.incident_list, name="incidents"),
    path("<str:code>/safety/new/", quality_views.incident_edit, name="incident_create"),
    path("<str:code>/safety/<int:number>/", quality_views.incident_edit, name="incident_edit"),
    path("<str:code>/safety/<int:number>/history/", quality_views.incident_history, name="incident_history"),
    path("<str:code>/safety/<int:number>/actions/", quality_views.safety_action_add, name="safety_action_add"),
    path("<str:code>/safety/<int:number>/actions/<int:pk>/done/", quality_views.safety_action_done,
         name="safety_action_done"),
    path("<str:code>/plan/", plan_views.plan, name="plan"),
    path("<str:code>/plan/gantt/", plan_views.gantt, name="gantt"),
    path("<str:code>/plan/export.xlsx", plan_views.plan_export, name="plan_export"),
    path("<str:code>/plan/history/", plan_views.plan_history, name="plan_history"),
    path("<str:code>/plan/gantt.json", plan_views.gantt_json, name="gantt_json"),
    path("<str:code>/plan/gantt/move/", plan_views.gantt_move, name="gantt_move"),
    path("<str:code>/plan/activities/", plan_views.activity_create, name="activity_create"),
    path("<str:code>/plan/activities/<int:pk>/", plan_views.activity_edit, name="activity_edit"),
    path("<str:code>/plan/activities/<int:pk>/history/", plan_views.activity_history, name="activity_history"),
    path("<str:code>/plan/activities/<int:pk>/assignments/", resource_views.assignment_add, name="assignment_add"),
    path("<str:code>/plan/activities/<int:pk>/assignments/<int:assignment_pk>/delete/", resource_views.assignment_delete,
         name="assignment_delete"),
    path("<str:code>/plan/dependencies/", plan_views.dependency_create, name="dependency_create"),
    path("<str:code>/plan/milestones/", plan_views.milestone_create, name="milestone_create"),
    path("<str:code>/documents/<int:pk>/", views.project_document_download, name="document_download"),
] + _log_urls("decisions", "decision") + _log_urls("actions", "action") + _log_urls("lessons", "lesson")
