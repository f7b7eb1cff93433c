from projects.permissions import can_list_projects


def navigation(request):
    """The navigation a person sees depends on their roles, asked of the permission module."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "projects": can_list_projects(user),
            "admin": user.is_staff,
        },
    }
