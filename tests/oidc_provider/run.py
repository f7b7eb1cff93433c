"""python -m tests.oidc_provider.run PORT REDIRECT_URI: migrate, create the client `pmo` (secret
`pmo-secret`), the API's callers `pmo-sync` (client credentials) and `pmo-cli` (password grant, the tests'
way to a person's access token), both with secret `pmo-secret`, and the directory's users (password
`provider-pass`), then serve on 127.0.0.1:PORT."""

import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

from tests.oidc_provider.validator import directory  # noqa: E402

CLIENT_ID, CLIENT_SECRET, PASSWORD = "pmo", "pmo-secret", "provider-pass"

port, redirect_uri = sys.argv[1], sys.argv[2]
call_command("migrate", verbosity=0)
if not Application.objects.filter(client_id=CLIENT_ID).exists():
    Application.objects.create(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, name="PMO", redirect_uris=redirect_uri,
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM, skip_authorization=True,
    )
for client_id, grant in (("pmo-sync", Application.GRANT_CLIENT_CREDENTIALS),
                         ("pmo-cli", Application.GRANT_PASSWORD)):
    if not Application.objects.filter(client_id=client_id).exists():
        Application.objects.create(client_id=client_id, client_secret=CLIENT_SECRET, name=client_id,
                                   client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=grant,
                                   algorithm=Application.RS256_ALGORITHM)
for username in directory()["users"]:
    if not User.objects.filter(username=username).exists():
        User.objects.create_user(username, password=PASSWORD)
call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, skip_checks=True)
