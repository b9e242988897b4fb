"""Two-step verification (A12): staff cannot reach any admin page without a verified second factor; codes, recovery
codes and throttling behave as a person and an attacker would find them."""

import base64
import re

import pytest
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import User
from accounts.tests.conftest import PASSWORD
from accounts.tests.mfa import confirmed_totp_device, current_code, verified_staff_client
from practices.models import Enrollment

pytestmark = pytest.mark.django_db
STAFF_PASSWORD = "staff horse battery staple"
VERIFY = reverse("accounts:mfa_verify")
SETUP = reverse("accounts:mfa_setup")


@pytest.fixture
def staff(db):
    return User.objects.create_superuser("root@webpt.example", STAFF_PASSWORD)


def admin_urls(staff, practice):
    enrollment = Enrollment.objects.get(practice=practice)
    return [
        "/admin/", "/admin/login/", "/admin/practices/enrollment/",
        f"/admin/practices/enrollment/{enrollment.pk}/change/",
        f"/admin/practices/enrollment/{enrollment.pk}/reveal-tin/",
        f"/admin/accounts/user/{staff.pk}/change/", "/admin/accounts/user/add/", "/admin/auth/group/",
        "/admin/otp_totp/totpdevice/", "/admin/jsi18n/", "/admin/no/such/page/",
    ]


def signed_in_with_password(user, password=STAFF_PASSWORD, *, via="/admin/login/") -> Client:
    client = Client()
    response = client.post(via, {"username": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.mark.parametrize("has_device", [True, False])
def test_A12_staff_without_a_verified_second_factor_cannot_reach_any_admin_page(staff, practice, has_device):
    if has_device:
        confirmed_totp_device(staff)
    client = Client()
    client.force_login(staff)  # the password step passed, the second factor not
    target = VERIFY if has_device else SETUP
    for url in admin_urls(staff, practice):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(target + "?next="), (url, response["Location"])
    changed = client.post(f"/admin/accounts/user/{staff.pk}/change/", {"email": "mallory@evil.example", "is_superuser": "on"})
    assert changed["Location"].startswith(target)
    assert User.objects.filter(email=staff.email).exists()


def test_A12_the_admin_site_itself_refuses_a_session_without_a_second_factor(staff, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.middleware.SecondFactorMiddleware"]
    client = Client()
    client.force_login(staff)
    response = client.get("/admin/practices/enrollment/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    request = RequestFactory().get("/admin/")
    request.user = staff
    assert not admin.site.has_permission(request)  # no is_verified() at all: refused, not an error
    assert verified_staff_client(staff).get("/admin/practices/enrollment/").status_code == 200


def test_A12_staff_sign_in_asks_for_the_app_code_and_then_opens_the_admin(staff):
    device = confirmed_totp_device(staff)
    client = signed_in_with_password(staff)
    to_admin = client.get("/admin/")
    assert to_admin["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    page = client.get(to_admin["Location"])
    assert "Enter your code" in page.content.decode()
    response = client.post(VERIFY, {"code": current_code(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/practices/enrollment/").status_code == 200


def test_A12_a_verified_session_gets_a_new_session_key(staff):
    device = confirmed_totp_device(staff)
    client = signed_in_with_password(staff)
    before = client.session.session_key
    client.post(VERIFY, {"code": current_code(device)})
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_A12_staff_without_a_device_set_up_the_app_and_get_recovery_codes_shown_once(staff, time_machine):
    time_machine.move_to("2026-12-04 09:00:00Z", tick=False)
    client = signed_in_with_password(staff)
    assert client.get("/admin/")["Location"].startswith(SETUP)
    page = client.get(SETUP).content.decode()
    pending = TOTPDevice.objects.get(user=staff, confirmed=False)
    qr = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page).group(1)
    assert base64.b64decode(qr).decode().startswith("<svg")
    secret = base64.b32encode(pending.bin_key).decode().rstrip("=")
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page
    assert "otpauth://totp/MIPS%20Portal%3Aroot%40webpt.example?secret=" + secret in pending.config_url
    wrong = client.post(SETUP, {"code": "000000" if current_code(pending) != "000000" else "111111"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    time_machine.move_to("2026-12-04 09:00:05Z", tick=False)  # past django-otp's wait after a wrong code
    response = client.post(SETUP, {"code": current_code(pending)})
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    codes = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in shown for code in codes)
    again = client.get(reverse("accounts:mfa")).content.decode()
    assert not any(code in again for code in codes) and "Recovery codes left" in again
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=staff).confirmed


def test_A12_recovery_codes_are_single_use(staff):
    codes = mfa.recovery_codes_create(user=staff)
    first = signed_in_with_password(staff)
    assert first.post(VERIFY, {"code": codes[0].upper(), "next": "/admin/"})["Location"] == "/admin/"
    assert first.get("/admin/").status_code == 200
    second = signed_in_with_password(staff)
    reused = second.post(VERIFY, {"code": codes[0]})
    assert reused.status_code == 200 and "That code is not right" in reused.content.decode()
    assert second.get("/admin/")["Location"].startswith(VERIFY)
    StaticDevice.objects.filter(user=staff).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert second.post(VERIFY, {"code": codes[1]}).status_code == 302
    assert mfa.recovery_codes_left(staff) == 8


def test_A12_wrong_codes_are_throttled_by_django_otp(staff, time_machine):
    time_machine.move_to("2026-12-04 09:00:00Z", tick=False)
    device = confirmed_totp_device(staff)
    client = signed_in_with_password(staff)
    right = current_code(device)
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    for _ in range(3):
        client.post(VERIFY, {"code": wrong})
    refused = client.post(VERIFY, {"code": right})  # right, but within the wait after three wrong ones
    assert refused.status_code == 200 and "Too many wrong codes. Wait" in refused.content.decode()
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    time_machine.move_to("2026-12-04 09:00:30Z", tick=False)  # past the 4-second wait, in the next 30 s step
    assert client.post(VERIFY, {"code": current_code(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_A12_a_wrong_app_code_does_not_throttle_the_recovery_codes(staff):
    confirmed_totp_device(staff)
    codes = mfa.recovery_codes_create(user=staff)
    client = signed_in_with_password(staff)
    client.post(VERIFY, {"code": "123456"})
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302


def test_A12_practice_administrator_with_a_device_is_asked_for_the_code_at_sign_in(administrator):
    device = confirmed_totp_device(administrator)
    client = signed_in_with_password(administrator, PASSWORD, via=reverse("accounts:login"))
    home = reverse("practices:home")
    assert client.get(home)["Location"].startswith(VERIFY)
    assert client.get(reverse("accounts:password_change"))["Location"].startswith(VERIFY)
    assert client.get(SETUP)["Location"].startswith(VERIFY)  # cannot swap in a new app without the old one
    assert client.get(reverse("accounts:mfa"))["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"code": current_code(device), "next": home})
    assert response["Location"] == home
    assert client.get(home).status_code == 200


def test_A12_sign_in_page_sends_an_account_with_a_device_straight_to_the_code(administrator):
    confirmed_totp_device(administrator)
    response = Client().post(reverse("accounts:login"), {"username": administrator.email, "password": PASSWORD})
    assert response["Location"] == f"{VERIFY}?next=%2F"


def test_A12_practice_administrator_without_a_device_signs_in_with_the_password_alone(administrator):
    client = signed_in_with_password(administrator, PASSWORD, via=reverse("accounts:login"))
    assert client.get(reverse("practices:home")).status_code == 200
    assert "Two-step verification" in client.get(reverse("practices:home")).content.decode()


def test_A12_turning_it_on_signs_out_other_browsers_and_it_can_be_turned_off(administrator):
    laptop = signed_in_with_password(administrator, PASSWORD, via=reverse("accounts:login"))
    phone = signed_in_with_password(administrator, PASSWORD, via=reverse("accounts:login"))
    laptop.get(SETUP)
    pending = TOTPDevice.objects.get(user=administrator, confirmed=False)
    assert laptop.post(SETUP, {"code": current_code(pending)}).status_code == 302
    assert laptop.get(reverse("practices:home")).status_code == 200
    assert phone.get(reverse("practices:home"))["Location"].startswith(reverse("accounts:login"))
    turned_off = laptop.post(reverse("accounts:mfa"), {"action": "turn_off"}, follow=True)
    assert "Two-step verification is off" in turned_off.content.decode()
    assert not mfa.has_second_factor(administrator)


def test_A12_staff_cannot_turn_two_step_verification_off(staff):
    client = verified_staff_client(staff)
    client.post(reverse("accounts:mfa"), {"action": "turn_off"})
    assert mfa.has_second_factor(staff)


def test_A12_the_admin_never_shows_secrets_or_recovery_codes(staff):
    device = confirmed_totp_device(staff)
    codes = mfa.recovery_codes_create(user=staff)
    client = verified_staff_client(staff)
    pages = [client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/"), client.get("/admin/otp_totp/totpdevice/"),
             client.get(f"/admin/otp_static/staticdevice/{StaticDevice.objects.get(user=staff).pk}/change/")]
    for page in pages:
        assert page.status_code == 200
        content = page.content.decode()
        assert device.key not in content and not any(code in content for code in codes)


def test_A12_seed_demo_gives_the_demo_staff_recovery_codes_that_open_the_admin(tmp_path, settings):
    from io import StringIO

    from django.core.management import call_command

    from practices.management.commands.seed_demo import DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD, DEMO_TIN

    settings.EMR_EXPORT_DIR = tmp_path
    export = tmp_path / DEMO_TIN.replace("-", "") / "2021"
    export.mkdir(parents=True)
    (export / "q1.csv").write_text("already generated\n")  # seed_demo then skips writing the 20,000-row export
    runs = [StringIO(), StringIO()]
    for out in runs:
        call_command("seed_demo", stdout=out)
    printed = [re.search(r"recovery codes \(each works once, 10 left\): ([a-z2-7 ]+)", out.getvalue()).group(1).split() for out in runs]
    assert printed[0] == printed[1] and len(printed[0]) == 10  # run again: the same codes, not new ones
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    client = signed_in_with_password(staff, DEMO_STAFF_PASSWORD)
    assert client.post(VERIFY, {"code": printed[0][0], "next": "/admin/"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
