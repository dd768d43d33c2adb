"""Settings for Osallistu.

Every setting that differs between machines is read from an environment variable declared here with
its type and default, so a development machine needs none and production sets them explicitly.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from osallistu.core import csp

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, ""),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, f"sqlite:///{VAR_DIR / 'osallistu.sqlite3'}"),
    REDIS_URL=(str, ""),
    MEDIA_ROOT=(str, str(VAR_DIR / "media")),
    STATIC_ROOT=(str, str(BASE_DIR / "staticfiles")),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "osallistu@localhost"),
    TASKS_IMMEDIATE=(bool, False),
    ACCOUNT_EMAIL_VERIFICATION=(str, "optional"),
    OSALLISTU_CITY_NAME=(str, "Kuopio"),
    OSALLISTU_MUNICIPALITY_CODE=(str, "297"),
    OSALLISTU_PRIMARY_COLOR=(str, "#00558c"),
    OSALLISTU_LOGO=(str, ""),
    OSALLISTU_SITE_URL=(str, "http://127.0.0.1:8000"),
    OSALLISTU_MAP_TILE_URL=(str, ""),
    OSALLISTU_MAP_TILE_ATTRIBUTION=(str, ""),
    OSALLISTU_FETCH_ALLOWED_HOSTS=(list, []),
    TRUSTED_PROXY_COUNT=(int, 0),
    OSALLISTU_HTTPS=(bool, False),
    OSALLISTU_HSTS_SECONDS=(int, 365 * 24 * 60 * 60),
    OSALLISTU_HSTS_INCLUDE_SUBDOMAINS=(bool, True),
    OSALLISTU_HSTS_PRELOAD=(bool, False),
    OSALLISTU_CSP_FORM_ACTION=(list, []),
)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set it to a long random string, "
            'for example from: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    # Development only: a fixed key keeps sessions valid across restarts of `make run`.
    SECRET_KEY = "development-only-insecure-key"  # noqa: S105

ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "osallistu.core",
    "osallistu.accounts",
    "osallistu.areas",
    "osallistu.participation",
    "osallistu.budgeting",
    "osallistu.organisations",
    "osallistu.events",
    "osallistu.moderation",
    "osallistu.notifications",
    "osallistu.selection",
    "osallistu.evaluation",
    "osallistu.identity",
    "osallistu.desk",
    "osallistu.accessibility",
    "osallistu.privacy",
    "osallistu.opendata",
    "ninja",
    "osallistu.interop",
    "osallistu.programmes",
    "osallistu.implementation",
    "osallistu.surveys",
    "osallistu.feedback",
    "osallistu.communications",
    "osallistu.audit",
    "osallistu.reports",
]

MIDDLEWARE = [
    "osallistu.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After allauth's middleware, because it reads the finished sign-in (docs/staff-access.md).
    "osallistu.accounts.middleware.StaffTwoFactorMiddleware",
    # After authentication, because it records which user made a change.
    "osallistu.audit.middleware.StaffActionAuditMiddleware",
]

ROOT_URLCONF = "osallistu.urls"
WSGI_APPLICATION = "osallistu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "osallistu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "osallistu.core.context_processors.city",
                "osallistu.notifications.context_processors.notifications",
                "osallistu.moderation.context_processors.moderation",
                "osallistu.core.context_processors.staff",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let `make run` serve a page while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Application processes keep no state of their own: sessions and cache live in the database
# (or Redis where REDIS_URL is set) and uploads in MEDIA_ROOT, which several servers share.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "osallistu_cache",
        }
    }

MEDIA_ROOT = env("MEDIA_ROOT")
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT")
# Site-wide assets (styles, scripts) that belong to no single app.
STATICFILES_DIRS = [BASE_DIR / "osallistu" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads larger than this are rejected by the form before they reach storage.
OSALLISTU_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Size limits in bytes of other uploads by kind (osallistu/core/uploads.py): csv, json, pdf and
# image, for example OSALLISTU_UPLOAD_LIMITS=csv=104857600. A kind left out keeps its default.
OSALLISTU_UPLOAD_LIMITS = {
    kind: int(size) for kind, size in env.dict("OSALLISTU_UPLOAD_LIMITS", default={}).items()
}

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env("TASKS_IMMEDIATE")
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION")
ACCOUNT_LOGOUT_ON_GET = False
# Reverse proxies in front of the application; their X-Forwarded-For entries are trusted when
# rate limits read the client's address. 0 means the application faces clients directly.
ALLAUTH_TRUSTED_PROXY_COUNT = env("TRUSTED_PROXY_COUNT")
LOGIN_REDIRECT_URL = "/"
# A URL name, so that a Swedish or English page sends people to the sign-in page in their language.
LOGIN_URL = "account_login"

# Staff access (docs/staff-access.md): sign-in lockout, two-factor authentication and the city's
# OpenID Connect identity provider for staff.
ACCOUNT_ADAPTER = "osallistu.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "osallistu.accounts.adapters.SocialAccountAdapter"
MFA_ADAPTER = "osallistu.accounts.adapters.MFAAdapter"
# Failed sign-ins: 5 per account (the key is the email address) and 20 per client address in
# 15 minutes. The per-address limit is higher because a library or city office shares one address.
# allauth counts wrong two-factor codes against the account key of the same action.
OSALLISTU_LOGIN_LOCKOUT_MINUTES = 15
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/15m/ip,5/15m/key",
    "reset_password": "20/15m/ip,5/15m/key",
    "reset_password_from_key": "20/15m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("OSALLISTU_MFA_TOTP_ISSUER", default="Osallistu")
# Accounts need no verified email address before adding an authenticator: verification is
# optional here and administrators create staff accounts without it.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# A city sign-in never signs in to, or connects with, a local account by matching email address.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
OSALLISTU_STAFF_OIDC_SERVER_URL = env.str("OSALLISTU_STAFF_OIDC_SERVER_URL", default="")
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []}}
if OSALLISTU_STAFF_OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": "city",
            "name": env.str("OSALLISTU_STAFF_OIDC_NAME", default="City"),
            "client_id": env.str("OSALLISTU_STAFF_OIDC_CLIENT_ID"),
            "secret": env.str("OSALLISTU_STAFF_OIDC_CLIENT_SECRET", default=""),
            "settings": {
                "server_url": OSALLISTU_STAFF_OIDC_SERVER_URL,
                "oauth_pkce_enabled": True,
                # The ID token's claims suffice; set 1 if the provider puts the email address
                # only in its userinfo response.
                "fetch_userinfo": env.bool("OSALLISTU_STAFF_OIDC_FETCH_USERINFO", default=False),
            },
        }
    )

vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "osallistu" / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# Age groups of participants: (first age, last age) pairs, None for the oldest group. Each must
# start and end on a Paavo HE age band so that it compares with the population (check events.E001).
OSALLISTU_AGE_GROUPS = [(0, 12), (13, 17), (18, 29), (30, 64), (65, None)]

# Surveys: a result group (suburb and time point, age group, item) with fewer respondents is not
# shown, so that no one's answers stand out. With OFFICIAL_TEXTS_ONLY a questionnaire is offered
# only in languages with an official text; production should turn it on once THL's file is loaded.
OSALLISTU_SURVEY_MIN_GROUP = env.int("OSALLISTU_SURVEY_MIN_GROUP", default=10)
OSALLISTU_SURVEY_OFFICIAL_TEXTS_ONLY = env.bool(
    "OSALLISTU_SURVEY_OFFICIAL_TEXTS_ONLY", default=False
)

# The city this installation serves. Paavo rows of other municipalities are skipped on import.
OSALLISTU_CITY_NAME = env("OSALLISTU_CITY_NAME")
OSALLISTU_MUNICIPALITY_CODE = env("OSALLISTU_MUNICIPALITY_CODE")
OSALLISTU_PRIMARY_COLOR = env("OSALLISTU_PRIMARY_COLOR")
OSALLISTU_LOGO = env("OSALLISTU_LOGO")
# Absolute address of the site, for links in emails, calendar files and posters.
OSALLISTU_SITE_URL = env("OSALLISTU_SITE_URL")
# Optional XYZ tile URL template ({z}/{x}/{y}) drawn under suburb maps, and the attribution its
# provider requires. Empty means no request to any other host (docs/situational-picture.md).
OSALLISTU_MAP_TILE_URL = env("OSALLISTU_MAP_TILE_URL")
OSALLISTU_MAP_TILE_ATTRIBUTION = env("OSALLISTU_MAP_TILE_ATTRIBUTION")
# Hosts that importers and feedback adapters may read (osallistu/core/fetch.py), for example
# OSALLISTU_FETCH_ALLOWED_HOSTS=palaute.kuopio.fi,geo.stat.fi. A leading dot allows subdomains.
# Empty allows no remote address at all.
OSALLISTU_FETCH_ALLOWED_HOSTS = env("OSALLISTU_FETCH_ALLOWED_HOSTS")

# Privacy: the contact the privacy notices give, retention periods in days per kind of data
# (osallistu/privacy/retention.py lists the kinds and their defaults, for example
# OSALLISTU_RETENTION_DAYS=identity_digests=60,server_logs=30), and the folder of rotated log
# files that `purge_expired` cleans, if logs are written to files.
OSALLISTU_PRIVACY_CONTACT = env.str("OSALLISTU_PRIVACY_CONTACT", default="")
OSALLISTU_RETENTION_DAYS = {
    kind: int(days) for kind, days in env.dict("OSALLISTU_RETENTION_DAYS", default={}).items()
}
OSALLISTU_LOG_DIR = env.str("OSALLISTU_LOG_DIR", default="")

# Voting identification (docs/identification.md). Eligibility records keep only an HMAC of the
# national identification number under this key, which is required outside DEBUG (check
# identity.E001) and must stay the same for the whole vote, or a person could vote twice.
OSALLISTU_IDENTITY_HMAC_KEY = env.str("OSALLISTU_IDENTITY_HMAC_KEY", default="")
# Identification methods offered to voters, in this order: suomifi, oidc, school, local_test.
OSALLISTU_IDENTITY_METHODS = env.list("OSALLISTU_IDENTITY_METHODS", default=[])
# The local test identity provider lets anyone pick a test person; never on in production
# (check identity.E002).
OSALLISTU_IDENTITY_LOCAL_TEST = env.bool("OSALLISTU_IDENTITY_LOCAL_TEST", default=DEBUG)
# Where people with a security denial or without electronic identification can vote in person:
# by default the desk app's public page, which lists the open votes and their events.
OSALLISTU_ASSISTED_VOTING_URL = env.str("OSALLISTU_ASSISTED_VOTING_URL", default="/desk/")
# Suomi.fi e-Identification (SAML 2.0): the service provider's entity ID, key and certificate
# files, and the identity provider's metadata file.
OSALLISTU_SUOMIFI_SP_ENTITY_ID = env.str("OSALLISTU_SUOMIFI_SP_ENTITY_ID", default="")
OSALLISTU_SUOMIFI_SP_KEY_FILE = env.str("OSALLISTU_SUOMIFI_SP_KEY_FILE", default="")
OSALLISTU_SUOMIFI_SP_CERT_FILE = env.str("OSALLISTU_SUOMIFI_SP_CERT_FILE", default="")
OSALLISTU_SUOMIFI_IDP_METADATA_FILE = env.str("OSALLISTU_SUOMIFI_IDP_METADATA_FILE", default="")
# Accept unsigned assertions: for tests with stored responses only, refused outside DEBUG
# (check identity.E003).
OSALLISTU_SUOMIFI_ALLOW_UNSIGNED = env.bool("OSALLISTU_SUOMIFI_ALLOW_UNSIGNED", default=False)
# Generic OpenID Connect provider, and school identification (OpenID Connect as MPASSid offers).
OSALLISTU_OIDC_ISSUER = env.str("OSALLISTU_OIDC_ISSUER", default="")
OSALLISTU_OIDC_CLIENT_ID = env.str("OSALLISTU_OIDC_CLIENT_ID", default="")
OSALLISTU_OIDC_CLIENT_SECRET = env.str("OSALLISTU_OIDC_CLIENT_SECRET", default="")
OSALLISTU_SCHOOL_OIDC_ISSUER = env.str("OSALLISTU_SCHOOL_OIDC_ISSUER", default="")
OSALLISTU_SCHOOL_OIDC_CLIENT_ID = env.str("OSALLISTU_SCHOOL_OIDC_CLIENT_ID", default="")
OSALLISTU_SCHOOL_OIDC_CLIENT_SECRET = env.str("OSALLISTU_SCHOOL_OIDC_CLIENT_SECRET", default="")
# Home municipality of pupils whose school identification carries none.
OSALLISTU_SCHOOL_DEFAULT_MUNICIPALITY = env.str("OSALLISTU_SCHOOL_DEFAULT_MUNICIPALITY", default="")

# Transport security (docs/security.md). Production sets OSALLISTU_HTTPS=1; tests and `make run`
# serve plain HTTP with DEBUG off or on, so DEBUG alone cannot decide.
OSALLISTU_HTTPS = env("OSALLISTU_HTTPS")
SESSION_COOKIE_SECURE = OSALLISTU_HTTPS
CSRF_COOKIE_SECURE = OSALLISTU_HTTPS
SECURE_SSL_REDIRECT = OSALLISTU_HTTPS
SECURE_HSTS_SECONDS = env("OSALLISTU_HSTS_SECONDS") if OSALLISTU_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env("OSALLISTU_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env("OSALLISTU_HSTS_PRELOAD")
if OSALLISTU_HTTPS and env("TRUSTED_PROXY_COUNT") > 0:
    # Only a proxy can reach the application servers (docs/deployment.md), and it overwrites
    # X-Forwarded-Proto, so the header cannot come from a client.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # security.W021 asks for the HSTS preload flag. The preload list takes registered domains
    # (kuopio.fi) with every subdomain, which the city's other services decide, not this
    # service on osallistu.kuopio.fi, so the flag stays a deliberate opt-in.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Request bodies held in memory: form fields up to 2.5 MB (Django's default); larger file uploads
# go to a temporary file. Per-kind file size limits are OSALLISTU_MAX_UPLOAD_BYTES below.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Content Security Policy (django-csp). Pages use no inline scripts, styles or style attributes,
# so nothing inline is allowed. The process summary for other sites overrides frame-ancestors.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": csp.img_sources(OSALLISTU_MAP_TILE_URL),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": csp.form_action_sources(
            oidc_issuers=[
                OSALLISTU_OIDC_ISSUER,
                OSALLISTU_SCHOOL_OIDC_ISSUER,
                # Staff sign-in through the city's identity provider (docs/staff-access.md).
                env.str("OSALLISTU_STAFF_OIDC_SERVER_URL", default=""),
            ],
            saml_metadata_file=OSALLISTU_SUOMIFI_IDP_METADATA_FILE,
            extra=env("OSALLISTU_CSP_FORM_ACTION"),
        ),
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
