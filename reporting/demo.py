"""Demo data for trying the application. Never loaded in production (see the command)."""

import datetime as dt

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from projects.models import Customer, Project

DEMO_USERS = [
    # username, first name, last name, language, roles
    ("sales", "Sofie", "Peeters", "nl", [Role.SALES]),
    ("support", "Julien", "Dubois", "fr", [Role.SUPPORT_OFFICER]),
    ("pm", "Pieter", "Janssens", "nl", [Role.PROJECT_MANAGER]),
    ("pm2", "Claire", "Lambert", "fr", [Role.PROJECT_MANAGER]),
    ("engmgr", "Eva", "Maes", "en", [Role.ENGINEERING_MANAGER]),
    ("pmolead", "Marc", "Willems", "nl", [Role.PMO_LEAD]),
    ("finance", "Nadia", "Claes", "en", [Role.FINANCE]),
    ("admin", "Ada", "Admin", "en", [Role.ADMINISTRATOR]),
]

DEMO_CUSTOMERS = [
    ("BE0403170701", "Stad Gent", "Botermarkt 1, 9000 Gent", "nl"),
    ("BE0202239951", "Port of Antwerp-Bruges", "Zaha Hadidplein 1, 2030 Antwerpen", "nl"),
    ("BE0407626464", "Clinique Saint-Luc", "Avenue Hippocrate 10, 1200 Bruxelles", "fr"),
]

DEMO_PROJECTS = [
    # code, name, customer VAT, status, level, PM, deputy, start offset days, length days
    ("PRJ-2026-0001", "Fibre backbone city hall", "BE0403170701", Project.Status.EXECUTION, 2, "pm", "pm2", -120, 240),
    ("PRJ-2026-0002", "Access control terminals", "BE0202239951", Project.Status.PLANNING, 1, "pm", None, -20, 120),
    ("PRJ-2026-0003", "Nurse call system upgrade", "BE0407626464", Project.Status.INITIATION, 3, "pm2", "pm", 10, 400),
    ("PRJ-2026-0004", "Camera surveillance quay 1700", "BE0202239951", Project.Status.CLOSING, 1, "pm2", None, -300, 280),
    ("PRJ-2025-0017", "Wi-Fi for the library", "BE0403170701", Project.Status.CLOSED, 1, "pm", None, -500, 200),
    ("PRJ-2026-0005", "Data centre migration", "BE0407626464", Project.Status.ON_HOLD, 2, "pm2", None, -60, 300),
]


@transaction.atomic
def load_demo_data(*, password: str, today: dt.date) -> list[User]:
    """Create or refresh the demo users, customers and projects; safe to run again."""
    users = {}
    for username, first, last, language, roles in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first, "last_name": last, "language": language, "is_active": True,
                "email": f"{username}@pmo.example", "is_staff": Role.ADMINISTRATOR in roles,
                "is_superuser": Role.ADMINISTRATOR in roles,
            },
        )
        user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        users[username] = user

    customers = {}
    for vat, name, address, language in DEMO_CUSTOMERS:
        customers[vat], _ = Customer.objects.update_or_create(
            vat_number=vat, defaults={"name": name, "address": address, "language": language}
        )

    for code, name, vat, status, level, pm, deputy, start, length in DEMO_PROJECTS:
        start_date = today + dt.timedelta(days=start)
        Project.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "customer": customers[vat], "status": status, "level": level,
                "project_manager": users[pm], "deputy_manager": users.get(deputy),
                "support_officer": users["support"], "sales_owner": users["sales"],
                "start_date": start_date, "end_date": start_date + dt.timedelta(days=length),
            },
        )
    return [users[username] for username, *_ in DEMO_USERS]
