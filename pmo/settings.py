"""Settings, read from the environment.

Development defaults are safe and local: SQLite under var/, Celery tasks run in-process,
e-mail printed to the console. With DEBUG off, a missing or malformed required value stops
start-up with a message that says which one.
"""

from decimal import Decimal
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from accounts.client_assertion import check_client_authentication
from pmo.queues import celery_routing
from pmo.storage import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names served when DEBUG is off.")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin: reference data gets a value per language (projects/translation.py)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "csp",
    "axes",  # sign-in protection for local passwords (failures per username and address, shown in the admin)
    "django_scim",  # SCIM 2.0 provisioning from the directory (/scim/v2/)
    "outbox",  # the bottom app: background work queued in the database, relayed to the broker
    "accounts",
    "projects",
    "procurement",
    "reporting",
    "webhooks",  # above every business app: signed events posted to other systems' addresses
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files served from static/, no CDN
    "api",  # the REST API over the services and the permission module (issue 15)
    "pmo",  # the composition root: home, approvals, demo data, bench seeding
]

MIDDLEWARE = [
    "pmo.middleware.permissions_policy",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "pmo.middleware.refuse_nul_bytes",  # before the session is read: a NUL cookie must not reach it
    "pmo.middleware.strip_bidi_controls_from_forms",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.scim_bearer_token",  # before the login check: SCIM clients send a bearer token
    "pmo.middleware.private_pages_not_stored",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.directory_user_without_role",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout page
]

ROOT_URLCONF = "pmo.urls"
WSGI_APPLICATION = "pmo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pmo.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
if env.str("POSTGRES_HOST", default="") and not env.str("DATABASE_URL", default=""):
    # The parts one by one (docker compose): a generated password may hold "/", "?" or "%",
    # which would break a URL unless quoted; here it is passed as it is.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": env.str("POSTGRES_HOST"),
            "PORT": env.str("POSTGRES_PORT", default="5432"),
            "NAME": env.str("POSTGRES_DB", default="pmo"),
            "USER": env.str("POSTGRES_USER", default="pmo"),
            "PASSWORD": env.str("POSTGRES_PASSWORD", default=""),
        }
    }
else:
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'pmo.sqlite3'}")}
# A new connection costs a few ms; keep them, and check them before reuse so a database
# restart heals itself instead of serving errors.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users ----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Local passwords: for the demo and a break-glass administrator. LOCAL_LOGIN=false removes the password
# form and refuses a POST to it (and to the admin's own sign-in form); then only the identity provider
# signs people in, and `manage.py break_glass_link USERNAME` prints a one-time sign-in link for a superuser.
LOCAL_LOGIN = env.bool("LOCAL_LOGIN", default=True)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out (username, address) before any check
    "accounts.oidc.DirectoryBackend",
    "accounts.backends.LocalPasswordBackend",
]
# --- Sign-in through the company's identity provider (OpenID Connect) -----------------------------------
# Set OIDC_DISCOVERY_URL (the provider's /.well-known/openid-configuration; for Entra ID
# https://login.microsoftonline.com/<tenant id>/v2.0/.well-known/openid-configuration), the client id of
# the app registration and one credential: its secret, or a certificate uploaded to it (the paths of the
# PEM certificate and of its private key; the application then authenticates with private_key_jwt, see
# accounts/client_assertion.py). Endpoints, issuer and signing keys are read from the discovery document.
OIDC_DISCOVERY_URL = env.str("OIDC_DISCOVERY_URL", default="")
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_CLIENT_CERTIFICATE = env.str("OIDC_CLIENT_CERTIFICATE", default="")
OIDC_CLIENT_PRIVATE_KEY = env.str("OIDC_CLIENT_PRIVATE_KEY", default="")  # a path: the key stays in its file
OIDC_CLIENT_ASSERTION_ALGO = env.str("OIDC_CLIENT_ASSERTION_ALGO", default="PS256")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="Microsoft Entra ID")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 10
OIDC_LEEWAY_SECONDS = 60  # clock skew allowed on exp, iat and nbf
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
OIDC_STORE_ID_TOKEN = False
if OIDC_DISCOVERY_URL:
    check_client_authentication(client_id=OIDC_RP_CLIENT_ID, secret=OIDC_RP_CLIENT_SECRET,
                                certificate=OIDC_CLIENT_CERTIFICATE, private_key=OIDC_CLIENT_PRIVATE_KEY,
                                algorithm=OIDC_CLIENT_ASSERTION_ALGO)
if not LOCAL_LOGIN and not OIDC_DISCOVERY_URL:
    raise ImproperlyConfigured("LOCAL_LOGIN=false needs OIDC_DISCOVERY_URL: nobody could sign in.")
# The provider's access tokens on the API (beside the API tokens): a JWT whose `aud` is OIDC_API_AUDIENCE
# (Entra: the API app registration's Application ID URI, e.g. api://<client id>, or its client id for v2
# tokens), signed by a key of the provider's JWKS, issued by the discovery document's issuer (or
# OIDC_API_ISSUER: Entra's v1 tokens name https://sts.windows.net/<tenant id>/), not expired. Its `roles`
# (application tokens) or `scp` (a person's, delegated) must hold one of these two values. Empty: refused.
OIDC_API_AUDIENCE = env.str("OIDC_API_AUDIENCE", default="")
OIDC_API_ISSUER = env.str("OIDC_API_ISSUER", default="")
OIDC_API_READ_VALUE = env.str("OIDC_API_READ_VALUE", default="Api.Read")
OIDC_API_WRITE_VALUE = env.str("OIDC_API_WRITE_VALUE", default="Api.ReadWrite")
if OIDC_API_AUDIENCE and not OIDC_DISCOVERY_URL:
    raise ImproperlyConfigured("OIDC_API_AUDIENCE is set: OIDC_DISCOVERY_URL must be set too.")
# --- Provisioning from the directory (SCIM 2.0) ----------------------------------------------------------
# The directory's provisioning client (Entra ID: Enterprise application > Provisioning) sends this
# secret as a bearer token. Empty: /scim/v2/ answers 401 to everyone.
SCIM_BEARER_TOKEN = env.str("SCIM_BEARER_TOKEN", default="")
if SCIM_BEARER_TOKEN and len(SCIM_BEARER_TOKEN) < 32:
    raise ImproperlyConfigured("SCIM_BEARER_TOKEN must be at least 32 characters.")
SCIM_SERVICE_PROVIDER = {
    "NETLOC": env.str("SCIM_NETLOC", default="localhost"),
    "SCHEME": "http" if DEBUG else "https",
    "USER_ADAPTER": "accounts.scim.DirectoryUserAdapter",
    "GROUP_MODEL": "accounts.models.DirectoryGroup",
    "GROUP_ADAPTER": "accounts.scim.DirectoryGroupAdapter",
    "USER_FILTER_PARSER": "accounts.scim_filters.DirectoryUserFilterQuery",
    "GROUP_FILTER_PARSER": "accounts.scim_filters.DirectoryGroupFilterQuery",
    "GET_EXTRA_MODEL_FILTER_KWARGS_GETTER": "accounts.scim.directory_only",
    "AUTHENTICATION_SCHEMES": [{
        "type": "oauthbearertoken", "name": "Bearer token", "primary": True,
        "description": "The SCIM_BEARER_TOKEN secret in the Authorization header",
    }],
    "WWW_AUTHENTICATE_HEADER": 'Bearer realm="scim"',
}
# --- Sign-in protection for local passwords (django-axes) -------------------------------------------------
# Failures are counted per (username, address) pair: an attacker guessing one account is blocked for the
# cool-off time, while the same user from another address, and every other user, can still sign in; so
# the lockout cannot be used to lock out a whole directory. Attempts and lockouts are in the admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
# Before the lockout, slowing (accounts.sign_in_protection): from this many failures of a pair, it waits
# SIGN_IN_SLOW_SECONDS after its last failure, doubled at each further failure, before a password is checked.
SIGN_IN_SLOW_AFTER = env.int("SIGN_IN_SLOW_AFTER", default=3)
SIGN_IN_SLOW_SECONDS = env.int("SIGN_IN_SLOW_SECONDS", default=30)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Only password POSTs are ever locked out: the identity provider's callback (a GET) also reports refused
# sign-ins to axes, without a username, and must not lock a whole office's address out of the provider.
AXES_NEVER_LOCKOUT_GET = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Failures and lockouts are logged either way (warnings); verbose adds a banner to every manage.py command
# and the user agent to each line.
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages, time ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["pmo.formats"]
# Reference data (project types, phases, checklists) has a value per language; a value missing in the
# reader's language falls back to English, then to the other languages.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "nl", "fr")
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are never served under a public URL: views stream them after a permission check.
# Without S3_BUCKET (below) they live here, which must then be shared storage when web runs on several hosts.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
if DEBUG:
    # Local defaults live under var/; create them so a fresh clone starts without warnings.
    for directory in (VAR_DIR, STATIC_ROOT, MEDIA_ROOT):
        Path(directory).mkdir(parents=True, exist_ok=True)
# Three-way match: an invoice may differ from the received value by the smaller of these.
INVOICE_TOLERANCE_PERCENT = Decimal(env.str("INVOICE_TOLERANCE_PERCENT", default="2"))
INVOICE_TOLERANCE_EUR = Decimal(env.str("INVOICE_TOLERANCE_EUR", default="50"))
# The largest purchase order (net, EUR) the application accepts: a bigger one is a typing error or a
# contract for other channels. Orders are stored with 14 digits, so it cannot exceed a billion.
PMO_MAX_ORDER_TOTAL = Decimal(env.str("PMO_MAX_ORDER_TOTAL", default="100000000"))
if not Decimal("0") < PMO_MAX_ORDER_TOTAL <= Decimal("1000000000"):
    raise ImproperlyConfigured("PMO_MAX_ORDER_TOTAL must be an amount in EUR between 0 and 1000000000.")
COMPANY_NAME = env.str("COMPANY_NAME", default="PMO Systems Integration NV")
COMPANY_ADDRESS = env.str("COMPANY_ADDRESS", default="Technologiepark 1, 9052 Gent, Belgium")
COMPANY_VAT = env.str("COMPANY_VAT", default="BE0417497106")
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=25) * 1024 * 1024
# With S3_BUCKET set, uploaded and generated files live in S3-compatible object storage (MinIO, AWS S3,
# ...), which every web and worker host shares, in a private bucket (pmo/storage.py); else under MEDIA_ROOT.
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    MEDIA_STORAGE = s3_storage(
        bucket=S3_BUCKET, endpoint_url=env.str("S3_ENDPOINT_URL", default=""),  # MinIO: http://minio:9000
        region=env.str("S3_REGION", default=""), access_key=env.str("AWS_ACCESS_KEY_ID", default=""),
        secret_key=env.str("AWS_SECRET_ACCESS_KEY", default=""))
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PMO <pmo@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Without a broker, tasks run in-process at the moment they are queued (after commit).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Every task goes to the queue of its kind (pmo/queues.py: mail and notifications, report rendering,
# integrations), each served by workers of its own, so that a flood of one kind never delays another.
# Queue names begin with CELERY_QUEUE_PREFIX: installations (or test processes) sharing one Redis
# database keep to their own queues.
CELERY_QUEUE_PREFIX = env.str("CELERY_QUEUE_PREFIX", default="")
CELERY_TASK_ROUTES, CELERY_TASK_QUEUES = celery_routing(CELERY_QUEUE_PREFIX)

# --- Highlight reports ---------------------------------------------------------------
# The weekly run (Europe/Brussels): "fri 14:00" makes the drafts every Friday at 14:00.
HIGHLIGHT_REPORT_SCHEDULE = env.str("HIGHLIGHT_REPORT_SCHEDULE", default="fri 14:00")
# The PM edits the narrative until this many hours after the reported week's Monday 00:00
# (180: the next Monday at noon); afterwards the support officer collates and publishes.
HIGHLIGHT_REPORT_DEADLINE_HOURS = env.int("HIGHLIGHT_REPORT_DEADLINE_HOURS", default=180)
# A report's PDF that takes longer than this to render fails cleanly (the report page says so and
# offers Retry); a warm report renders in under a second. The worker is killed 30 s later if the
# render does not stop. The limits travel in the task's message, from the settings of the process
# that queued it: web, relay and worker share this value (.env).
HIGHLIGHT_REPORT_RENDER_SECONDS = env.int("HIGHLIGHT_REPORT_RENDER_SECONDS", default=120)
# At closing: the hand-over pack goes to the service management office; warranty runs from the closing date.
SMO_EMAIL = env.str("SMO_EMAIL", default="")
WARRANTY_MONTHS = env.int("WARRANTY_MONTHS", default=12)

# --- Webhooks -------------------------------------------------------------------------
# Each POST's time limit; a failed delivery is tried again after base x 2^(n-1) seconds (at most the
# maximum) until a day has passed since it was created or sent again; beat looks for deliveries whose
# task was lost every WEBHOOK_SWEEP_SECONDS. Tests shorten them.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=60.0)
WEBHOOK_RETRY_MAX_SECONDS = env.float("WEBHOOK_RETRY_MAX_SECONDS", default=4 * 3600.0)
WEBHOOK_RETRY_WINDOW_SECONDS = env.float("WEBHOOK_RETRY_WINDOW_SECONDS", default=24 * 3600.0)
WEBHOOK_SWEEP_SECONDS = env.float("WEBHOOK_SWEEP_SECONDS", default=60.0)
# Refuse to post to loopback, private and link-local addresses (webhooks/addresses.py says why it is off).
WEBHOOK_BLOCK_PRIVATE_ADDRESSES = env.bool("WEBHOOK_BLOCK_PRIVATE_ADDRESSES", default=False)

# --- Security -------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Browser features no page uses, switched off on every response (only features Chromium knows:
# an unknown one is reported as a console error).
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation", "gyroscope",
    "magnetometer", "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The container health check calls /healthz over plain HTTP from inside the host.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if env.bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- Forms and UI ---------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_TAGS = {40: "danger"}

# --- Audit ----------------------------------------------------------------------------
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

# The REST API (api/). A shared cache for the per-token rate limits: Redis when REDIS_URL is set, so that every
# web process counts the same requests; a process-local one otherwise (the embedded demo, one process).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": ({"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "api"}
            if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}),
}
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/min")  # per token (per user for the browser's session)
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_KB", default=256) * 1024  # larger request bodies get 413
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=366)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.framework.auth.BearerTokenAuthentication",
                                       "api.framework.auth.SessionWithCsrfAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.framework.auth.ScopedAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["api.framework.throttling.PerTokenRate"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.framework.pagination.StableCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.framework.problems.problem_response",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PMO API",
    "DESCRIPTION": "Projects and their registers, through the same permission rules and services as the pages. "
                   "Authenticate with `Authorization: Bearer <token>` (tokens are made on the API tokens page). "
                   "Errors are RFC 9457 problem details (application/problem+json) in the Accept-Language asked for.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"RagColourEnum": "reporting.models.RAG_LEVELS",
                            "ProjectStatusEnum": "projects.models.Project.Status",
                            "RiskStatusEnum": "projects.models.Risk.Status",
                            "SupplierKindEnum": "procurement.models.Supplier.Kind",
                            # The registers, logs and plan (api/views/logs.py, plan.py).
                            "IssueStatusEnum": "projects.models.ProjectIssue.Status",
                            "ActionItemStatusEnum": "projects.models.ActionItem.Status",
                            "ChangeRequestStatusEnum": "projects.models.ChangeRequest.Status",
                            "SafetyIncidentKindEnum": "projects.models.SafetyIncident.Kind",
                            "RiskKindEnum": "projects.models.Risk.Kind",
                            "ActivityStatusEnum": "projects.models.Activity.Status",
                            "ActivityKindEnum": "projects.models.Activity.Kind",
                            # Checklists and highlight reports (api/views/quality.py, reports.py).
                            "ChecklistStatusEnum": "projects.models.ChecklistRun.Status",
                            "HighlightReportStatusEnum": "reporting.models.HighlightReport.Status"},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "api.framework.schema.add_problem_responses"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # In-process tasks would log every success into the development console.
    "loggers": {
        "weasyprint": {"level": "WARNING"},  # its progress lines would flood worker logs
        **({} if REDIS_URL else {"celery.app.trace": {"level": "WARNING"}}),
    },
}
