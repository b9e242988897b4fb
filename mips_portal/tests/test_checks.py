"""The project's deploy checks catch what `check --deploy` misses (D8)."""

from mips_portal import checks


def ids(problems):
    return [p.id for p in problems]


def test_D8_checks_pass_with_the_project_settings(settings):
    from mips_portal.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # the test settings put a fast hasher first
    assert checks.csp_present(None) == checks.argon2_first(None) == checks.session_limits(None) == checks.tasks_on_default_database(None) == []


def test_D8_missing_csp_directive_is_an_error(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    assert ids(checks.csp_present(None)) == ["mips.E002"] * 3


def test_D8_argon2_must_come_first(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    assert ids(checks.argon2_first(None)) == ["mips.E003"]


def test_D8_long_sessions_are_an_error(settings):
    settings.SESSION_COOKIE_AGE = 3600
    settings.SESSION_ABSOLUTE_MAX_AGE = 86400
    assert ids(checks.session_limits(None)) == ["mips.E004", "mips.E005"]


def test_D8_tasks_on_another_database_are_an_error(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "OPTIONS": {"database": "queue"}}}
    assert ids(checks.tasks_on_default_database(None)) == ["mips.E006"]


def test_D9_remote_database_without_verified_tls_is_a_warning():
    from unittest import mock

    from django.conf import settings

    with mock.patch.dict(settings.DATABASES["default"], {"HOST": "db.internal", "OPTIONS": {}}):
        assert ids(checks.database_tls(None)) == ["mips.W001"]
    with mock.patch.dict(settings.DATABASES["default"], {"HOST": "db.internal", "OPTIONS": {"sslmode": "verify-full"}}):
        assert checks.database_tls(None) == []


def test_D8_staff_mfa_must_be_installed(settings):
    assert checks.second_factor_for_staff(None) == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.middleware.SecondFactorMiddleware"]
    assert ids(checks.second_factor_for_staff(None)) == ["mips.E007"]
