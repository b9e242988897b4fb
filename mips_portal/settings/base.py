"""All settings; production and development differ only by environment variables (see .env.example)."""

from datetime import timedelta

from csp.constants import NONE, SELF, UNSAFE_INLINE

from mips_portal.env import BASE_DIR, env

# GENERAL ---------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# No default outside DEBUG: a deploy that forgets the key must fail at start-up, not run with a known one.
SECRET_KEY = env("SECRET_KEY") if not DEBUG else env("SECRET_KEY", default="dev-only-insecure-key-" + "x" * 40)
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute links in emails (sign-up, verification, dashboard) are built from this, never from the Host header.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "MIPS Portal"
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="mips-support@webpt.example")
# WebPT is every practice's top-level administrator (shown read-only on the practice profile).
TOP_LEVEL_ADMIN_EMAIL = env("TOP_LEVEL_ADMIN_EMAIL", default="mips-admin@webpt.example")

ROOT_URLCONF = "mips_portal.urls"
WSGI_APPLICATION = "mips_portal.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",  # OpClass in indexes (trigram search indexes)
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "formtools",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "pgtrigger",
    "pghistory",
]
LOCAL_APPS = [
    "mips_portal",
    "accounts",
    "practices",
    "onboarding",
    "emr",
    "scores",
    "staff",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "staff.middleware.RequestHistoryMiddleware",  # who, which request and URL for pghistory events
    "django.contrib.messages.middleware.MessageMiddleware",
    "mips_portal.middleware.SessionLimitsMiddleware",
    "accounts.middleware.SecondFactorMiddleware",  # staff need a second factor for the admin (accounts/mfa.py)
    "mips_portal.middleware.NoStoreForSignedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

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
                "mips_portal.context_processors.site",
            ],
        },
    },
]
# Project templates override Django's form widget templates with USWDS markup.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# pghistory records who changed set-up rows; only writing requests need its per-statement context.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# DATABASES -------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/mips_portal")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# AUTHENTICATION --------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NIST SP 800-63B-4: length and blocklists, no composition rules (../shared/reliability.md §1.4).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.LengthValidator", "OPTIONS": {"min_length": 15, "max_length": 128}},
    {"NAME": "accounts.validators.CommonPasswordValidator"},
    {"NAME": "accounts.validators.ContextWordsValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "practices:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SIGNUP_TOKEN_MAX_AGE = timedelta(hours=72)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# django-axes: lock a username from one address after repeated failures, so an attacker elsewhere
# cannot lock the real user out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_VERBOSE = False

# Two-step verification (django-otp): the app shows this name; the admin never shows secrets or recovery codes.
OTP_TOTP_ISSUER = "MIPS Portal"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# SESSIONS AND COOKIES --------------------------------------------------------------------------
SESSION_COOKIE_AGE = 15 * 60  # idle timeout; sliding because every request saves the session
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_MAX_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# __Host- cookies are only accepted by browsers over HTTPS; plain-HTTP development keeps the usual names.
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"

# SECURITY HEADERS ------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles only from our own static files; nothing may frame, embed or re-base our pages.
# style-src allows inline style attributes: Django admin's templates and USWDS's components still set some.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# STATIC FILES ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # USWDS's compiled dist/ (installed by `npm ci`), served as-is: no Sass build.
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# EMAIL -----------------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
if _email.get("EMAIL_FILE_PATH"):
    # django-environ drops the leading slash of filemail:///abs/path; file paths here are always absolute.
    _email["EMAIL_FILE_PATH"] = "/" + _email["EMAIL_FILE_PATH"].lstrip("/")
vars().update({k: v for k, v in _email.items() if v is not None})
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="MIPS Portal <no-reply@mips-portal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10
ADMINS = [("Ops", a) for a in env.list("ADMINS", default=[])]

# BACKGROUND TASKS ------------------------------------------------------------------------------
# The database backend enqueues with a plain INSERT on the default database, so the load task commits
# or rolls back with the submission that queued it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if env("RQ_URL", default=""):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["rq"] = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    RQ_QUEUES = {"default": {"URL": env("RQ_URL")}}

# SENSITIVE DATA ---------------------------------------------------------------------------------
# TINs are encrypted with the first key; older keys stay listed until `rotate_tin_key` has re-encrypted every row.
# The index key makes the blind index for uniqueness; changing it needs a re-index, so it is not rotated casually.
def _dev_key(label):
    import base64, hashlib
    return base64.urlsafe_b64encode(hashlib.sha256(f"{label}:{SECRET_KEY}".encode()).digest()).decode()


TIN_ENCRYPTION_KEYS = env.list("TIN_ENCRYPTION_KEYS", default=[_dev_key("tin")] if DEBUG else None)
TIN_INDEX_KEY = env("TIN_INDEX_KEY", default=_dev_key("tin-index") if DEBUG else None)
if not TIN_ENCRYPTION_KEYS or not TIN_INDEX_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set TIN_ENCRYPTION_KEYS and TIN_INDEX_KEY (see .env.example).")

# EMR DATA ---------------------------------------------------------------------------------------
EMR_SOURCE = env("EMR_SOURCE", default="emr.sources.FileExportSource")
EMR_EXPORT_DIR = env.path("EMR_EXPORT_DIR", default=BASE_DIR / "var" / "emr-exports")
# The tasks backend the data load is queued on: "rq" (needs RQ_URL) queues it on Redis once the submission commits.
EMR_TASKS_BACKEND = env("EMR_TASKS_BACKEND", default="default")
QPP_MEASURES_DATA_DIR = BASE_DIR / "node_modules" / "qpp-measures-data"  # CMS measures and benchmarks, installed by `npm ci`

# LOGGING ---------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django_tasks": {"level": "INFO"},
        "django_tasks_db": {"level": "INFO"},
        "mips_portal": {"level": "INFO"},
        "accounts": {"level": "INFO"},
        "onboarding": {"level": "INFO"},
        "emr": {"level": "INFO"},
    },
}
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
