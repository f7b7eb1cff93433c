from django.urls import path

from projects.lib.urls import moved_permanently
from projects.urls import meetings as meeting_urls
from projects.views import (
    billing,
    budget,
    change_control,
    closing,
    documents,
    plan,
    quality,
    registers,
    resources,
    safety,
)
from projects.views import projects as projects_views

app_name = "projects"


def _log_urls(log: str, entry: str) -> list:
    """The decision log, action items and lessons log share their views (registers.LOGS)."""
    kwargs = {"log": log}
    return [
        path(f"<str:code>/{log}/", registers.log_list, kwargs, name=log),
        path(f"<str:code>/{log}/new/", registers.log_edit, kwargs, name=f"{entry}_create"),
        path(f"<str:code>/{log}/export.xlsx", registers.log_export, kwargs, name=f"{entry}_export"),
        path(f"<str:code>/{log}/<int:number>/", registers.log_edit, kwargs, name=f"{entry}_edit"),
        path(f"<str:code>/{log}/<int:number>/history/", registers.log_history, kwargs, name=f"{entry}_history"),
    ]




urlpatterns = [
    path("", projects_views.project_list, name="list"),
    path("<str:code>/", projects_views.project_detail, name="detail"),
    path("<str:code>/history/", projects_views.project_history, name="history"),
    path("<str:code>/status/<slug:action>/", projects_views.project_transition, name="transition"),
    path("<str:code>/budget/", budget.project_budget, name="budget"),
    path("<str:code>/budget/history/", budget.project_budget_history, name="budget_history"),
    path("<str:code>/budget/submit/", budget.project_budget_submit, name="budget_submit"),
    path("<str:code>/documents/", documents.project_documents, name="documents"),
    path("<str:code>/risks/", registers.risk_list, name="risks"),
    path("<str:code>/risks/new/", registers.risk_edit, name="risk_create"),
    path("<str:code>/risks/export.xlsx", registers.risk_export, name="risk_export"),
    path("<str:code>/risks/<int:number>/", registers.risk_edit, name="risk_edit"),
    path("<str:code>/risks/<int:number>/history/", registers.risk_history, name="risk_history"),
    path("<str:code>/issues/", registers.issue_list, name="issues"),
    path("<str:code>/issues/new/", registers.issue_edit, name="issue_create"),
    path("<str:code>/issues/<int:number>/", registers.issue_edit, name="issue_edit"),
    path("<str:code>/issues/<int:number>/history/", registers.issue_history, name="issue_history"),
    path("<str:code>/issues/export.xlsx", registers.issue_export, name="issue_export"),
    path("<str:code>/changes/", change_control.change_list, name="changes"),
    path("<str:code>/changes/new/", change_control.change_edit, name="change_create"),
    path("<str:code>/changes/export.xlsx", change_control.change_export, name="change_export"),
    path("<str:code>/changes/<int:number>/", change_control.change_detail, name="change_detail"),
    path("<str:code>/changes/<int:number>/edit/", change_control.change_edit, name="change_edit"),
    path("<str:code>/changes/<int:number>/submit/", change_control.change_submit, name="change_submit"),
    path("<str:code>/changes/<int:number>/decide/", change_control.change_decide, name="change_decide"),
    path("<str:code>/changes/<int:number>/history/", change_control.change_history, name="change_history"),
    path("<str:code>/baselines/", change_control.baseline_compare, name="baselines"),
    path("<str:code>/tolerances/", change_control.tolerances, name="tolerances"),
    path("<str:code>/exceptions/<int:pk>/", change_control.exception_report, name="exception"),
    path("<str:code>/closing/", closing.closing, name="closing"),
    path("<str:code>/satisfaction/", closing.project_satisfaction, name="satisfaction"),
    path("<str:code>/checklists/", quality.quality_register, name="quality"),
    path("<str:code>/checklists/<int:number>/", quality.checklist, name="checklist"),
    path("<str:code>/checklists/<int:number>/sign-off/", quality.checklist_sign_off, name="checklist_sign_off"),
    path("<str:code>/checklists/<int:number>/history/", quality.checklist_history, name="checklist_history"),
    path("<str:code>/checklists/<int:number>/evidence/<int:pk>/", quality.checklist_evidence,
         name="checklist_evidence"),
    path("<str:code>/safety/", safety.incident_list, name="incidents"),
    path("<str:code>/safety/new/", safety.incident_edit, name="incident_create"),
    path("<str:code>/safety/<int:number>/", safety.incident_edit, name="incident_edit"),
    path("<str:code>/safety/<int:number>/history/", safety.incident_history, name="incident_history"),
    path("<str:code>/safety/<int:number>/actions/", safety.safety_action_add, name="safety_action_add"),
    path("<str:code>/safety/<int:number>/actions/<int:pk>/done/", safety.safety_action_done,
         name="safety_action_done"),
    path("<str:code>/plan/", plan.plan, name="plan"),
    path("<str:code>/plan/gantt/", plan.gantt, name="gantt"),
    path("<str:code>/plan/export.xlsx", plan.plan_export, name="plan_export"),
    path("<str:code>/plan/history/", plan.plan_history, name="plan_history"),
    path("<str:code>/plan/gantt.json", plan.gantt_json, name="gantt_json"),
    path("<str:code>/plan/gantt/move/", plan.gantt_move, name="gantt_move"),
    path("<str:code>/plan/activities/", plan.activity_create, name="activity_create"),
    path("<str:code>/plan/activities/<int:pk>/", plan.activity_edit, name="activity_edit"),
    path("<str:code>/plan/activities/<int:pk>/history/", plan.activity_history, name="activity_history"),
    path("<str:code>/plan/activities/<int:pk>/assignments/", resources.assignment_add, name="assignment_add"),
    path("<str:code>/plan/activities/<int:pk>/assignments/<int:assignment_pk>/delete/", resources.assignment_delete,
         name="assignment_delete"),
    path("<str:code>/plan/dependencies/", plan.dependency_create, name="dependency_create"),
    path("<str:code>/plan/milestones/", plan.milestone_create, name="milestone_create"),
    path("<str:code>/plan/milestones/<int:pk>/reached/", plan.milestone_reach, name="milestone_reach"),
    path("<str:code>/billing/", billing.billing, name="billing"),
    path("<str:code>/billing/new/", billing.billing_milestone_edit, name="billing_milestone_create"),
    path("<str:code>/billing/<int:number>/", billing.billing_milestone_edit, name="billing_milestone_edit"),
    path("<str:code>/billing/<int:number>/history/", billing.billing_milestone_history,
         name="billing_milestone_history"),
    path("<str:code>/billing/<int:number>/<slug:action>/", billing.billing_milestone_transition,
         name="billing_milestone_transition"),
    path("<str:code>/documents/<int:pk>/", documents.project_document_download, name="document_download"),
] + _log_urls("decisions", "decision") + _log_urls("actions", "action") + _log_urls("lessons", "lesson")
urlpatterns += meeting_urls.urlpatterns
# Checklists used to live under quality/: links in e-mails and tickets keep working.
urlpatterns += moved_permanently("<str:code>/quality/", "/projects/%(code)s/checklists/")
