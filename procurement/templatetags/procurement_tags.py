"""Lets project pages show purchasing figures without the projects app importing procurement."""

from django import template

from procurement.selectors.costs import project_costs

register = template.Library()


@register.inclusion_tag("procurement/_costs_summary.html")
def project_cost_summary(project):
    return {"project": project, "costs": project_costs(project)}
