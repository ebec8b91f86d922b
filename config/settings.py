"""Microwins settings: every value comes from the environment, beside its default.

Production is the default. The development defaults (DEBUG=1) all live in the
block marked "Development defaults" below, so there is one place to read them.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    sys.exit(f"{name}={value!r} is not a boolean: use 1 or 0.")


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Sign-in with another site: the provider's allauth name, and the prefix of its two environment variables.
SOCIAL_SIGN_IN = {"google": "GOOGLE", "github": "GITHUB"}


def social_providers(environ):
    """allauth's SOCIALACCOUNT_PROVIDERS for the providers whose client id and secret are both set (the app's
    settings come from here, so no database SocialApp is needed); ValueError when only one of the two is."""
    providers = {}
    for provider, prefix in SOCIAL_SIGN_IN.items():
        client_id = environ.get(f"{prefix}_CLIENT_ID", "").strip()
        secret = environ.get(f"{prefix}_CLIENT_SECRET", "").strip()
        if bool(client_id) != bool(secret):
            raise ValueError(f"Set both {prefix}_CLIENT_ID and {prefix}_CLIENT_SECRET, or neither.")
        if client_id:
            providers[provider] = {"APP": {"client_id": client_id, "secret": secret}}
    if "google" in providers:
        providers["google"] |= {"SCOPE": ["profile", "email"], "AUTH_PARAMS": {"access_type": "online"}}
    if "github" in providers:
        providers["github"] |= {"SCOPE": ["user:email"]}  # its verified addresses, not only the public one
    return providers


DEBUG = env_bool("DEBUG", False)

# Development defaults: only used when DEBUG is on.
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
DEV_ALLOWED_HOSTS = "127.0.0.1,localhost,[::1]"
DEV_DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'microwins.sqlite3'}"

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY and env("SECRET_KEY_FILE"):
    SECRET_KEY = Path(env("SECRET_KEY_FILE")).read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        sys.exit("SECRET_KEY is not set: set SECRET_KEY (or SECRET_KEY_FILE), or DEBUG=1 for development.")
    SECRET_KEY = DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", DEV_ALLOWED_HOSTS if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

try:
    SOCIALACCOUNT_PROVIDERS = social_providers(os.environ)
except ValueError as error:
    sys.exit(str(error))

# The Django admin, only at this path (e.g. "manage-7f3a"), and only for staff signed in with a second factor.
ADMIN_URL = env("ADMIN_URL", "").strip("/")

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # django.contrib.admin, with the site that asks for a second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    *[f"allauth.socialaccount.providers.{provider}" for provider in SOCIALACCOUNT_PROVIDERS],
    "django_htmx",
    "django_tasks_db",
    "teams",
    "wins",
    "goals",
    "digests",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # serves static files precompressed, before GZip could see them
    # Pages compressed (with Django's BREACH mitigation), before any middleware that writes the body.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.method_not_allowed_page",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "teams.context_processors.teams",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", DEV_DATABASE_URL), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    # A file, not memory, for tests: the browser tests' live server answers htmx requests on several threads.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}}

AUTH_USER_MODEL = "teams.Person"
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/today/"

# django-allauth: email is the login; phones sign in with an emailed code.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # confirmed by a press on the page: a mail scanner opening the link does not
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Microwins] "
ACCOUNT_SIGNUP_FORM_CLASS = "teams.forms.SignupForm"
ACCOUNT_ADAPTER = "teams.adapter.AccountAdapter"
# On purpose, and in docs/limits.md: allauth's limits, each written out so that a change of its defaults cannot
# move ours. "ip" counts per client address, "key" per email address typed, "user" per signed-in person.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",  # sign-in attempts
    "login_failed": "10/m/ip,5/5m/key",  # wrong passwords, and wrong authenticator or recovery codes
    "signup": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",  # emailed sign-in codes asked for
    "confirm_email": "1/3m/key",  # verification mail sent again
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "delete_account_code": "3/h/user",  # ours (teams/views.py): codes mailed to confirm deleting an account
}

# Two factors: an authenticator app with recovery codes, and passkeys, which also sign in without a password.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Microwins"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # passkeys on http://localhost in development and the browser tests
MFA_RATE_LIMITS = {"webauthn_login": "10/m/ip"}  # passkey sign-ins

# Sessions are recorded at sign-in, so /account/ lists them and each can be ended. Not on every request
# (USERSESSIONS_TRACK_ACTIVITY): that would write a row per page view, the dashboard's 30-second refresh included.
USERSESSIONS_TRACK_ACTIVITY = False

# Google and GitHub (above): the person confirms the sign-up form (name, time zone) on their first visit.
SOCIALACCOUNT_AUTO_SIGNUP = False

# Mail: SMTP when EMAIL_HOST is set; otherwise printed to the console (the container's log).
if env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": int(env("EMAIL_PORT", "587")),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,  # seconds: a mail server that hangs must not hold a request (and its rows) for long
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "teams.mail.ConsoleBackend"}}  # the text part, readable
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Microwins <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address mail links point to (the digests, unsubscribe links): the site as people reach it; without it, the
# first allowed host over HTTPS, when that is a plain host name.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    host = (ALLOWED_HOSTS or ["localhost"])[0]
    if host.startswith(".") or "*" in host:
        sys.exit("SITE_URL is not set: set it to the site's address as people reach it, e.g. https://wins.example.com")
    SITE_URL = f"https://{host}"

# Background work (mail, digests): django.tasks on the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False  # English only: no translation machinery on every string and date
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names in production (collectstatic at build); plain files in development.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security: strict CSP (no inline script or style, no eval), no framing, HTTPS in production.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "worker-src": [CSP.SELF],  # the service worker, /sw.js (else script-src would decide)
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Each client's own address for allauth's rate limits (sign-in, codes, password reset): the one our own
    # proxies put in X-Forwarded-For, TRUSTED_PROXY_COUNT from the right (addresses further left can be made
    # up by the client), or a header the proxy sets (CLIENT_IP_HEADER, e.g. X-Real-IP). Without it every
    # client would be the proxy, and ten failed sign-ins a minute from anyone would lock out everyone.
    ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "1"))
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("CLIENT_IP_HEADER") or None

# Rate limits: how many of each a person may make in a minute (wins.limits); a kind left out has none.
RATE_LIMITS = {"wins": 30, "comments": 20, "applause": 60, "goals": 30, "measurements": 30}

# Request bodies: the longest form (an evening review) is under 50 KB even in four-byte characters, escaped.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # larger bodies are refused with a 400
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
