"""Reads of change control: what a change request would do to the baseline, who decides it, and
what a user may do with it now."""

import copy
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from projects.domain import DomainError, refuse_unless
from projects.lib.workflow import Transition
from projects.models import ChangeRequest, route_reason_text
from projects.services.budget import level_for_budget
from projects.workflows import CHANGE_REQUEST

ZERO = Decimal("0")


@dataclass
class Impact:
    """What a change request would do to the current baseline."""

    current_budget: Decimal
    new_budget: Decimal
    current_level: int
    new_level: int
    cost_tolerance: Decimal
    time_days: int
    time_tolerance: int

    @property
    def increase(self) -> Decimal:
        return self.new_budget - self.current_budget

    def reasons(self) -> list[dict]:
        """Why the PMO lead decides, as codes with parameters; empty when the change lies within
        the PM's authority."""
        reasons = []
        if self.new_level != self.current_level:
            reasons.append({"code": "level", "params": {"old": self.current_level, "new": self.new_level}})
        if self.increase > self.cost_tolerance:
            reasons.append({"code": "cost", "params": {"tolerance": str(self.cost_tolerance)}})
        if self.time_days > self.time_tolerance:
            reasons.append({"code": "time", "params": {"days": self.time_tolerance}})
        return reasons

    @property
    def reason_text(self) -> str:
        return route_reason_text(self.reasons())


def change_impact(change: ChangeRequest) -> Impact:
    project = change.project
    baseline = project.current_baseline
    refuse_unless(baseline is not None,
                  _("The project has no baseline yet: set the budget on the budget page instead."))
    current_budget = baseline.budget
    new_budget = current_budget + sum((c.delta for c in change.costs.all()), ZERO)
    return Impact(
        current_budget=current_budget, new_budget=new_budget, current_level=level_for_budget(current_budget),
        new_level=level_for_budget(new_budget),
        cost_tolerance=(current_budget * project.cost_tolerance_percent / 100).quantize(Decimal("0.01")),
        time_days=change.time_impact_days, time_tolerance=project.time_tolerance_days,
    )


def change_route(change: ChangeRequest, impact: Impact | None = None) -> tuple[str, list[dict]]:
    """Who decides (the PM, or the PMO lead beyond the PM's authority) and why, against the baseline
    of this moment. A change that would leave no budget, or a project without a baseline, is refused."""
    impact = impact or change_impact(change)
    refuse_unless(impact.new_budget > 0, _("The change would leave the project without a budget."))
    reasons = impact.reasons()
    project = change.project
    managers = {project.project_manager_id, project.deputy_manager_id} - {None, change.raised_by_id,
                                                                         change.submitted_by_id}
    if not reasons and not managers:
        reasons = [{"code": "own", "params": {}}]
    return (ChangeRequest.Route.PMO_LEAD if reasons else ChangeRequest.Route.PROJECT_MANAGER), reasons


def _routed_now(change: ChangeRequest, impact: Impact | None) -> ChangeRequest | None:
    """A submitted request as the service approves it: a copy routed against the baseline of this
    moment (None when it cannot be routed now). The shown request keeps its route as submitted."""
    if change.status != ChangeRequest.Status.SUBMITTED:
        return change
    routed = copy.copy(change)
    try:
        routed.route, routed.route_reasons = change_route(routed, impact)
    except DomainError:
        return None
    return routed


def change_request_actions_for_user(user, change: ChangeRequest, impact: Impact | None = None
                                    ) -> dict[str, Transition]:
    """Submit (who keeps the registers, on a draft or deferred request); approve, defer, reject (whom
    the route names, never the requester). As in the services, approval is judged on the route of
    this moment, deferral and rejection on the route the request was submitted with."""
    routed = _routed_now(change, impact)
    return {name: transition for name, transition in CHANGE_REQUEST.transitions.items()
            if (name != "approve" or routed is not None)
            and CHANGE_REQUEST.refusal(name, user, routed if name == "approve" else change) is None}
