import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from pmo.demo import load_demo_data


class Command(BaseCommand):
    help = "Create or refresh demo users (one per role), customers and projects. Idempotent."

    def handle(self, *args, **options):
        if not settings.DEBUG and not os.environ.get("DEMO_ALLOW_PRODUCTION"):
            raise CommandError("Demo data is for trying the application: refused with DEBUG off.")
        password = os.environ.get("DEMO_PASSWORD", "demo")
        # The demo's notifications stay in the app; their e-mails would bury the logins below.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            users = load_demo_data(password=password, today=timezone.localdate())
        call_command("portfolio_summaries", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with one login per role:"))
        for user in users:
            self.stdout.write(f"  {user.username:<9} {', '.join(user.role_labels):<22} password: {password}")
