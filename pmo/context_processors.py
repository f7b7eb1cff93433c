from projects.permissions import (
    can_list_intakes,
    can_list_projects,
    can_view_approvals,
    can_view_customers,
    can_view_portfolio,
    can_view_purchasing,
    can_view_registers_overview,
    can_view_workload,
)


def navigation(request):
    """The navigation a person sees depends on their roles, asked of the permission module."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "projects": can_list_projects(user),
            "intakes": can_list_intakes(user),
            "customers": can_view_customers(user),
            "workload": can_view_workload(user),
            "purchasing": can_view_purchasing(user),
            "approvals": can_view_approvals(user),
            "registers": can_view_registers_overview(user),
            "portfolio": can_view_portfolio(user),
            "admin": user.is_staff,
        },
    }
