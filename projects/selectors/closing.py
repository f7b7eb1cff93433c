"""The closing gate: what must be true before a project closes. Conditions owned by other apps
(purchase orders) are registered by them at start-up, so this app imports none of them."""

from dataclasses import dataclass
from typing import Callable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import ChecklistRun, ChecklistTemplate, DocumentCategory, Project, ProjectIssue, SafetyAction


@dataclass
class Condition:
    label: str
    ok: bool
    link: str
    detail: str = ""


_providers: list[Callable[[Project], Condition]] = []


def register(provider: Callable[[Project], Condition]) -> Callable[[Project], Condition]:
    """Add a condition computed elsewhere (procurement registers the purchase orders' one)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def _ids(entries) -> str:
    return ", ".join(e.identifier for e in entries[:10]) + (" …" if len(entries) > 10 else "")


def closing_conditions(project: Project) -> list[Condition]:
    url = project.get_absolute_url()
    open_issues = list(project.issues.filter(status__in=[ProjectIssue.Status.OPEN, ProjectIssue.Status.IN_PROGRESS]))
    runs = list(project.checklist_runs.all())
    unsigned = [r for r in runs if r.status != ChecklistRun.Status.SIGNED]
    closing_runs = [r for r in runs if r.standard == ChecklistTemplate.Standard.CLOSING]
    open_actions = SafetyAction.objects.filter(incident__project=project, done_on=None).count()
    conditions = [provider(project) for provider in _providers]
    conditions += [
        Condition(_("Open issues resolved or transferred to SMO"), not open_issues, f"{url}issues/",
                  _ids(open_issues)),
        Condition(_("Quality and safety checklists signed off"), bool(runs) and not unsigned, f"{url}quality/",
                  _ids(unsigned)),
        Condition(_("The closing checklist signed off"),
                  bool(closing_runs) and all(r.status == ChecklistRun.Status.SIGNED for r in closing_runs),
                  f"{url}quality/", "" if closing_runs else str(_("no closing checklist yet: start one"))),
        Condition(_("Safety actions closed"), open_actions == 0, f"{url}safety/",
                  _("open: %(n)s") % {"n": open_actions} if open_actions else ""),
        Condition(_("Customer acceptance document uploaded"),
                  project.documents.filter(category=DocumentCategory.ACCEPTANCE).exists(), f"{url}documents/"),
        Condition(_("Customer satisfaction recorded"), project.surveys.filter(answered_at__isnull=False).exists(),
                  reverse("projects:satisfaction", args=[project.code])),
        Condition(_("Lessons logged"), project.lessons.exists(), f"{url}lessons/"),
    ]
    return conditions


def failing(project: Project) -> list[Condition]:
    return [c for c in closing_conditions(project) if not c.ok]
