"""The routes of a project's registers, logs, plan, costs, checklists and highlight reports, kept apart from
api/urls.py so that each resource family adds its block without touching another's."""

from django.urls import path

from api.views import costs, logs, plan, quality, reports

LIST, ONE = {"get": "list"}, {"get": "retrieve"}
LIST_CREATE, ONE_PATCH = {"get": "list", "post": "create"}, {"get": "retrieve", "patch": "partial_update"}
PROJECT = "api/v1/projects/<str:code>"

register_routes = [
    path(f"{PROJECT}/issues/", logs.IssueViewSet.as_view(LIST_CREATE), name="issues"),
    path(f"{PROJECT}/issues/<int:number>/", logs.IssueViewSet.as_view(ONE_PATCH), name="issue"),
    path(f"{PROJECT}/action-items/", logs.ActionItemViewSet.as_view(LIST_CREATE), name="action_items"),
    path(f"{PROJECT}/action-items/<int:number>/", logs.ActionItemViewSet.as_view(ONE_PATCH), name="action_item"),
    path(f"{PROJECT}/decisions/", logs.DecisionViewSet.as_view(LIST), name="decisions"),
    path(f"{PROJECT}/decisions/<int:number>/", logs.DecisionViewSet.as_view(ONE), name="decision"),
    path(f"{PROJECT}/lessons/", logs.LessonViewSet.as_view(LIST), name="lessons"),
    path(f"{PROJECT}/lessons/<int:number>/", logs.LessonViewSet.as_view(ONE), name="lesson"),
    path(f"{PROJECT}/change-requests/", logs.ChangeRequestViewSet.as_view(LIST), name="change_requests"),
    path(f"{PROJECT}/change-requests/<int:number>/", logs.ChangeRequestViewSet.as_view(ONE), name="change_request"),
    path(f"{PROJECT}/safety-incidents/", logs.SafetyIncidentViewSet.as_view(LIST), name="safety_incidents"),
    path(f"{PROJECT}/safety-incidents/<int:number>/", logs.SafetyIncidentViewSet.as_view(ONE),
         name="safety_incident"),
    path(f"{PROJECT}/activities/", plan.ActivityViewSet.as_view(LIST), name="activities"),
    path(f"{PROJECT}/activities/<int:id>/", plan.ActivityViewSet.as_view(ONE_PATCH), name="activity"),
    path(f"{PROJECT}/milestones/", plan.MilestoneViewSet.as_view(LIST), name="milestones"),
    path(f"{PROJECT}/milestones/<int:id>/", plan.MilestoneViewSet.as_view(ONE), name="milestone"),
    path(f"{PROJECT}/costs/", costs.ProjectCostsView.as_view(ONE), name="costs"),
    path(f"{PROJECT}/baselines/", costs.BaselineViewSet.as_view(LIST), name="baselines"),
    path(f"{PROJECT}/baselines/<int:version>/", costs.BaselineViewSet.as_view(ONE), name="baseline"),
    path(f"{PROJECT}/checklists/", quality.ChecklistViewSet.as_view(LIST), name="checklists"),
    path(f"{PROJECT}/checklists/<int:number>/", quality.ChecklistViewSet.as_view(ONE), name="checklist"),
    path(f"{PROJECT}/highlight-reports/", reports.HighlightReportViewSet.as_view(LIST), name="highlight_reports"),
    path(f"{PROJECT}/highlight-reports/<int:id>/", reports.HighlightReportViewSet.as_view(ONE),
         name="highlight_report"),
    path(f"{PROJECT}/highlight-reports/<int:id>/pdf/", reports.HighlightReportViewSet.as_view({"get": "pdf"}),
         name="highlight_report_pdf"),
]
