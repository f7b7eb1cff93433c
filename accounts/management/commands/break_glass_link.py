from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from accounts.break_glass import MAX_AGE_SECONDS, break_glass_token
from accounts.models import User


class Command(BaseCommand):
    help = "Print a one-time sign-in link (15 minutes) for a superuser: the way in when LOCAL_LOGIN is off."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--base-url", default="", help="e.g. https://pmo.example.com")

    def handle(self, username, base_url, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username}")
        try:
            token = break_glass_token(user=user)
        except ValueError as error:
            raise CommandError(str(error)) from error
        link = base_url.rstrip("/") + reverse("break_glass", args=[token])
        self.stdout.write(f"{link}\n(valid {MAX_AGE_SECONDS // 60} minutes, once)")
