"""Make a token for a user, typically a service account (a user with the roles the integration needs and
no usable password): `manage.py api_token servicenow --name "ServiceNow sync" --scope read --days 365`."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from api.services.tokens import token_create
from projects.domain import DomainError


class Command(BaseCommand):
    help = "Make an API token for a user and print its secret (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True)
        parser.add_argument("--scope", choices=["read", "write"], default="read")
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, username, name, scope, days, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        # The command line is the administrator's: it acts as a superuser would in the admin.
        admin = User(is_superuser=True)
        try:
            _token, secret = token_create(user=user, by=admin, name=name, scope=scope,
                                          expires_on=timezone.localdate() + dt.timedelta(days=days))
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(secret)
