from projects.permissions import (
    can_list_intakes,
    can_list_projects,
    can_manage_webhooks,
    can_view_approvals,
    can_view_customers,
    can_view_portfolio,
    can_view_purchasing,
    can_view_registers_overview,
    can_view_workload,
)
from projects.permissions_billing import billing_queue_in_menu
from projects.permissions_timesheets import timesheets_in_menu


def navigation(request):
    """The navigation a person sees depends on their roles, asked of the permission module.

    base.html renders the menu once per language and menu_key and then takes it from the cache (an
    hour: its key holds all it shows, the time only bounds what a shared cache keeps across a release
    with new translations); its ten links, each a reverse() and a translation, were a fifth of a
    small page's time."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav = {
        "projects": can_list_projects(user),
        "intakes": can_list_intakes(user),
        "customers": can_view_customers(user),
        "workload": can_view_workload(user),
        "purchasing": can_view_purchasing(user),
        "approvals": can_view_approvals(user),
        "registers": can_view_registers_overview(user),
        "portfolio": can_view_portfolio(user),
        "billing": billing_queue_in_menu(user),
        "timesheets": timesheets_in_menu(user),
        "webhooks": can_manage_webhooks(user),
        "admin": user.is_staff,
    }
    return {
        "nav": nav,
        # The menu shows the answers above and the user's role names, nothing else.
        "menu_key": "".join(str(allowed or "0")[:1] for allowed in nav.values()) + ":" + ",".join(sorted(user.roles)),
    }
