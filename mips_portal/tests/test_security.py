"""Security and failure promises of ../shared/reliability.md; each test name carries its catalogue ID."""

import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Designation, User
from practices.models import Enrollment, PerformanceYear, Practice

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def administrator(db):
    practice = Practice.objects.create(name="Sunrise Physical Therapy", top_level_admin_email="mips-admin@webpt.example")
    Enrollment.objects.create(practice=practice, year=PerformanceYear.objects.get(year=2021))
    user = User.objects.create_user("ada@sunrise-pt.example", PASSWORD, first_name="Ada", last_name="Lovelace")
    Designation.objects.create(practice=practice, email=user.email, user=user, accepted_at=user.date_joined)
    return user


def signed_in(user) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_A8_session_key_changes_at_sign_in(administrator):
    client = Client()
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("accounts:login"), {"username": administrator.email, "password": PASSWORD})
    assert client.session.session_key != before


@pytest.mark.django_db
def test_A9_logout_removes_the_session_and_signs_out_other_browsers(administrator):
    laptop, phone = signed_in(administrator), signed_in(administrator)
    key = laptop.session.session_key
    laptop.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert phone.get(reverse("practices:home"))["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_A9_signed_in_pages_are_not_cached(administrator):
    response = signed_in(administrator).get(reverse("practices:home"))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_A10_idle_session_expires_after_15_minutes_and_activity_slides_it(administrator, time_machine):
    time_machine.move_to("2026-12-04 09:00Z", tick=False)
    client = signed_in(administrator)
    for minute in (14, 28, 42):  # each request within 15 minutes of the last one
        time_machine.move_to(f"2026-12-04 09:{minute:02d}Z", tick=False)
        assert client.get(reverse("practices:home")).status_code == 200
    time_machine.move_to("2026-12-04 09:58Z", tick=False)
    assert client.get(reverse("practices:home"))["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_A10_session_ends_12_hours_after_sign_in_however_active(administrator, time_machine):
    time_machine.move_to("2026-12-04 08:00Z", tick=False)
    client = signed_in(administrator)
    for hour in range(8, 20):
        for minute in (0, 10, 20, 30, 40, 50):
            time_machine.move_to(f"2026-12-04 {hour:02d}:{minute:02d}Z", tick=False)
            response = client.get(reverse("practices:home"))
    time_machine.move_to("2026-12-04 20:01Z", tick=False)
    response = client.get(reverse("practices:home"))
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_A11_password_change_keeps_this_browser_and_signs_out_the_others(administrator):
    laptop, phone = signed_in(administrator), signed_in(administrator)
    new = "tulips in the rain at noon"
    response = laptop.post(reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert laptop.get(reverse("practices:home")).status_code == 200
    assert phone.get(reverse("practices:home"))["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_A11_deactivated_users_sessions_all_end(administrator):
    client = signed_in(administrator)
    User.objects.filter(pk=administrator.pk).update(is_active=False)
    assert client.get(reverse("practices:home"))["Location"].startswith(reverse("accounts:login"))


def test_R5_database_unavailable_gives_a_static_503_with_retry_after(client, administrator):
    client.force_login(administrator)
    client.raise_request_exception = False
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", side_effect=OperationalError("could not connect")):
        response = client.get(reverse("practices:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "briefly unavailable" in body
    for leak in ("Traceback", "OperationalError", "DATABASE", "postgres", "SECRET"):
        assert leak not in body


def test_R5_health_check_reports_the_database(client, db):
    assert client.get(reverse("health")).status_code == 200
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", side_effect=OperationalError("down")):
        response = client.get(reverse("health"))
    assert response.status_code == 503 and response["Retry-After"]


def test_R5_portal_recovers_when_the_database_returns(client, administrator):
    client.force_login(administrator)
    client.raise_request_exception = False
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", side_effect=OperationalError("down")):
        assert client.get(reverse("practices:home")).status_code == 503
    assert client.get(reverse("practices:home")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/no-such-page/"])
def test_D7_security_headers_on_every_response(client, url):
    response = client.get(url, secure=True)
    csp = response["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"):
        assert directive in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def _url_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _url_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _example_path(route: str) -> str:
    path = re.sub(r"<int:\w+>", "2021", route)
    path = re.sub(r"<(?:str|slug|path:)?:?\w+>", "x", path)
    path = re.sub(r"<[^>]+>", "x", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\Z", "")


@pytest.mark.django_db
def test_D6_every_post_without_a_csrf_token_is_refused(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    refused = 0
    for route, _ in _url_patterns():
        if route.startswith("admin/") and route != "admin/login/":
            continue  # the admin site's views share one CSRF-protected dispatcher; its login stands for them
        response = client.post(_example_path(route), {"x": "1"})
        assert response.status_code in {403, 404, 405}, route
        refused += response.status_code == 403
    assert refused > 10


def test_D6_no_view_is_csrf_exempt():
    offenders = [str(p) for p in ROOT.glob("*/**/*.py")
                 if ".venv" not in p.parts and "node_modules" not in p.parts and "tests" not in p.parts
                 and "csrf_exempt" in p.read_text(encoding="utf-8", errors="ignore")]
    assert offenders == []


def test_D5_cookies_are_host_prefixed_secure_and_http_only_in_production():
    from importlib import reload

    import mips_portal.settings.base as base
    with mock.patch.dict("os.environ", {"SECURE_COOKIES": "True"}):
        production = reload(base)
        try:
            assert production.SESSION_COOKIE_NAME == "__Host-sessionid" and production.SESSION_COOKIE_SECURE
            assert production.CSRF_COOKIE_NAME == "__Host-csrftoken" and production.CSRF_COOKIE_SECURE
            assert production.SESSION_COOKIE_HTTPONLY and production.SESSION_COOKIE_SAMESITE == "Lax"
        finally:
            reload(base)


def test_A7_argon2_is_the_first_password_hasher():
    from mips_portal.settings import base
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_A7_stored_password_is_argon2id_and_legacy_hashes_upgrade_at_sign_in(settings):
    from django.contrib.auth.hashers import make_password
    from mips_portal.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = User.objects.create_user("grace@example.org", PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    Client().post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
