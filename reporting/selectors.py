from django.db.models import Count

from accounts.roles import Role
from projects.models import Project
from projects.permissions import projects_involving, projects_visible_to

HOME_LIST_SIZE = 10
# Roles whose home page shows the portfolio at a glance.
PORTFOLIO_GLANCE_ROLES = (Role.PMO_LEAD, Role.SUPPORT_OFFICER, Role.FINANCE, Role.ENGINEERING_MANAGER)


def home_for_user(user) -> dict:
    """What the signed-in person's home page shows, from whatever exists."""
    my_projects = projects_involving(user).select_related("customer").order_by("-code")
    home = {
        "my_projects": list(my_projects[:HOME_LIST_SIZE + 1]),
        "notifications": list(user.notifications.filter(read_at__isnull=True)[:5]),
        "portfolio": None,
    }
    home["more_projects"] = len(home["my_projects"]) > HOME_LIST_SIZE
    home["my_projects"] = home["my_projects"][:HOME_LIST_SIZE]
    if user.has_role(*PORTFOLIO_GLANCE_ROLES):
        counts = dict(
            projects_visible_to(user).values_list("status").annotate(n=Count("pk")).order_by()
        )
        home["portfolio"] = [(label, value, counts.get(value, 0)) for value, label in Project.Status.choices]
    return home
