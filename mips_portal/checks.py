"""Deploy checks for what `check --deploy` does not cover (../shared/reliability.md §1.1)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

REQUIRED_CSP = {"object-src": "'none'", "base-uri": "'none'", "frame-ancestors": "'none'"}


@register(Tags.security, deploy=True)
def csp_present(app_configs, **kwargs):
    """The Content-Security-Policy middleware runs and forbids plugins, base changes and framing."""
    directives = getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("DIRECTIVES", {})
    problems = []
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE:
        problems.append(Error("CSPMiddleware is not installed.", id="mips.E001"))
    for directive, value in REQUIRED_CSP.items():
        if value not in directives.get(directive, []):
            problems.append(Error(f"CSP must set {directive} {value}.", id="mips.E002"))
    return problems


@register(Tags.security, deploy=True)
def argon2_first(app_configs, **kwargs):
    """New passwords are hashed with Argon2."""
    if settings.PASSWORD_HASHERS[0] != "django.contrib.auth.hashers.Argon2PasswordHasher":
        return [Error("Argon2PasswordHasher must be first in PASSWORD_HASHERS.", id="mips.E003")]
    return []


@register(Tags.security, deploy=True)
def session_limits(app_configs, **kwargs):
    """Sessions end after 15 minutes idle and 12 hours in all."""
    problems = []
    if settings.SESSION_COOKIE_AGE > 15 * 60 or not settings.SESSION_SAVE_EVERY_REQUEST:
        problems.append(Error("Sessions must expire after at most 15 minutes idle (SESSION_COOKIE_AGE, SESSION_SAVE_EVERY_REQUEST).", id="mips.E004"))
    if getattr(settings, "SESSION_ABSOLUTE_MAX_AGE", 0) > 12 * 3600 or "mips_portal.middleware.SessionLimitsMiddleware" not in settings.MIDDLEWARE:
        problems.append(Error("Sessions must end 12 hours after sign-in (SessionLimitsMiddleware, SESSION_ABSOLUTE_MAX_AGE).", id="mips.E005"))
    return problems


@register(Tags.security, deploy=True)
def tasks_on_default_database(app_configs, **kwargs):
    """The load task is queued in the submission's own transaction, which needs the default database backend."""
    default = settings.TASKS.get("default", {})
    database = default.get("OPTIONS", {}).get("database", "default")
    if default.get("BACKEND") != "django_tasks_db.DatabaseBackend" or database != "default":
        return [Error("TASKS['default'] must be django_tasks_db.DatabaseBackend on the default database.", id="mips.E006")]
    return []


@register(Tags.security, deploy=True)
def database_tls(app_configs, **kwargs):
    """A database on another host is reached over verified TLS."""
    db = settings.DATABASES["default"]
    local = db.get("HOST") in {"", "localhost", "127.0.0.1", "::1"} or str(db.get("HOST", "")).startswith("/")
    if not local and db.get("OPTIONS", {}).get("sslmode") != "verify-full":
        return [Warning("The database is remote but DATABASE_URL does not set sslmode=verify-full.", id="mips.W001")]
    return []


@register(Tags.security, deploy=True)
def second_factor_for_staff(app_configs, **kwargs):
    """Staff reach the admin only after a second factor (django-otp; accounts/mfa.py)."""
    from django.contrib import admin

    from accounts.mfa import SecondFactorAdminSite

    middleware = settings.MIDDLEWARE
    needed = ["django.contrib.auth.middleware.AuthenticationMiddleware", "django_otp.middleware.OTPMiddleware",
              "accounts.middleware.SecondFactorMiddleware"]
    in_order = all(m in middleware for m in needed) and [middleware.index(m) for m in needed] == sorted(middleware.index(m) for m in needed)
    if not in_order or not isinstance(admin.site, SecondFactorAdminSite):
        return [Error("Staff MFA is off: OTPMiddleware and SecondFactorMiddleware must follow AuthenticationMiddleware, "
                      "and admin.site must be a SecondFactorAdminSite.", id="mips.E007")]
    return []
