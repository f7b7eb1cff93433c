"""Reads of the registers: the heat map and risks past their review date."""

from django.db.models import Count
from django.utils import timezone

from projects.models import Project, Risk


def risk_heat_map(project: Project) -> list[list[tuple[int, int, int, str]]]:
    """Open risks by residual probability (rows, 5 at the top) and impact (columns), in one query."""
    counts = {(p, i): n for p, i, n in Risk.objects.filter(project=project, status=Risk.Status.OPEN)
              .values_list("residual_probability", "residual_impact").annotate(n=Count("pk")).order_by()}
    grid = []
    for probability in range(5, 0, -1):
        row = []
        for impact in range(1, 6):
            band = Risk.band(probability * impact)
            row.append((probability, impact, counts.get((probability, impact), 0), band))
        grid.append(row)
    return grid


def risks_past_review(*, project: Project | None = None, owner=None, limit: int = 10) -> list:

    risks = Risk.objects.filter(status=Risk.Status.OPEN, review_date__lt=timezone.localdate())
    if project is not None:
        risks = risks.filter(project=project)
    if owner is not None:
        risks = risks.filter(owner=owner)
    return list(risks.select_related("project").order_by("review_date")[:limit])
