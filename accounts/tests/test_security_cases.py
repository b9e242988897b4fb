"""Authentication cases of the reliability catalogue not covered elsewhere: enumeration, brute force on both sign-in
pages, the password policy on every form that sets a password, names at sign-up, and mail-server failures."""

import logging
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.hashers import check_password, make_password
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.admin import UserCreationAdminForm
from accounts.forms import SignupForm, StyledPasswordChangeForm, StyledSetPasswordForm
from accounts.models import Designation, User
from accounts.tests.conftest import PASSWORD
from accounts.tests.mfa import verified_staff_client

pytestmark = pytest.mark.django_db
SHORT = "x7#kq" * 2 + "abcd"  # 14 characters: one short of the policy
GOOD = "tulips in the rain at noon"


def login(client, email, password, path="/accounts/login/", ip="10.0.0.1"):
    return client.post(path, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_A1_undesignated_sign_up_is_logged_as_a_security_event(client, practice, caplog):
    caplog.set_level(logging.INFO, logger="accounts.security")
    client.post(reverse("accounts:signup"), {"email": "eve@elsewhere.example", "first_name": "Eve", "last_name": "Smith",
                                             "password1": PASSWORD, "password2": PASSWORD})
    assert [r.getMessage() for r in caplog.records if r.name == "accounts.security"] == ["sign-up for an undesignated address"]
    assert "eve@elsewhere.example" not in caplog.text  # the address stays out of the log


def test_A4_the_password_hasher_runs_for_unknown_users_too(client, administrator):
    with mock.patch("django.contrib.auth.base_user.make_password", wraps=make_password) as hashing:
        assert login(client, "nobody@sunrise-pt.example", "not the password at all").status_code == 200
    hashing.assert_called_once_with("not the password at all")  # Django's ModelBackend hashes for a missing user
    with mock.patch("django.contrib.auth.base_user.check_password", wraps=check_password) as checking:
        assert login(client, administrator.email, "not the password at all").status_code == 200
    checking.assert_called_once()  # and checks the real hash for a known one: the same hashing work either way


def test_A4_sign_in_and_reset_pages_give_unknown_and_known_addresses_the_same_answer(client, administrator):
    wrong, unknown = login(client, administrator.email, "not the password at all"), login(client, "nobody@x.example", "not the password at all")
    assert (wrong.status_code, wrong.templates[0].name) == (unknown.status_code, unknown.templates[0].name)
    assert wrong.context["form"].errors == unknown.context["form"].errors
    known = client.post(reverse("accounts:password_reset"), {"email": administrator.email})
    nobody = client.post(reverse("accounts:password_reset"), {"email": "nobody@x.example"})
    assert (known.status_code, known["Location"]) == (nobody.status_code, nobody["Location"])
    assert "if an account exists" in client.get(known["Location"]).content.decode().lower()


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_A5_both_sign_in_pages_lock_a_username_from_one_address_after_five_failures(client, administrator, path):
    staff = User.objects.create_superuser("root@webpt.example", "staff horse battery staple")
    for _ in range(5):
        login(client, staff.email, "wrong guess number one", path)
    locked = login(client, staff.email, "staff horse battery staple", path)
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    assert "Try again in 15 minutes" in locked.content.decode()
    # The failures are recorded (shown to staff in the admin under Axes: access attempts).
    assert AccessAttempt.objects.get(username=staff.email, ip_address="10.0.0.1").failures_since_start >= 5


def test_A5_unknown_usernames_are_locked_the_same_way(client, administrator):
    for _ in range(5):
        login(client, "nobody@sunrise-pt.example", "wrong guess number one")
    assert login(client, "nobody@sunrise-pt.example", "wrong guess number one").status_code == 429


def test_A5_an_attacker_elsewhere_cannot_lock_the_real_user_out(client, administrator):
    for _ in range(10):
        login(client, administrator.email, "wrong guess number one", ip="203.0.113.9")
    assert login(Client(), administrator.email, PASSWORD, ip="10.0.0.1").status_code == 302


def test_A6_every_form_that_sets_a_password_applies_the_policy(administrator):
    forms = {
        "sign-up": lambda p: SignupForm(data={"email": "new@x.example", "first_name": "Ann", "last_name": "Bee", "password1": p, "password2": p}),
        "change": lambda p: StyledPasswordChangeForm(administrator, data={"old_password": PASSWORD, "new_password1": p, "new_password2": p}),
        "reset": lambda p: StyledSetPasswordForm(administrator, data={"new_password1": p, "new_password2": p}),
        "admin creation": lambda p: UserCreationAdminForm(data={"email": "new@x.example", "first_name": "Ann", "last_name": "Bee",
                                                                "usable_password": "true", "password1": p, "password2": p}),
    }
    for name, form in forms.items():
        assert not form(SHORT).is_valid(), name
        assert not form("passwordpassword").is_valid(), name
        assert form(GOOD).is_valid(), (name, form(GOOD).errors)
    assert issubclass(UserCreationAdminForm, AdminUserCreationForm)


@pytest.mark.parametrize("name", ["Ada\x00", "Ada\x07", "Ada\u202eecalevol", "Love\u200blace", "\u2066Ada", "A\u00adda"])
def test_I2_sign_up_refuses_control_and_invisible_characters_in_names(client, practice, name):
    response = client.post(reverse("accounts:signup"), {
        "email": "ada@sunrise-pt.example", "first_name": name, "last_name": name, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"] and response.context["form"].errors["last_name"]
    assert not User.objects.exists() and not mail.outbox


def test_R12_mail_server_down_when_designating_shows_the_error_and_resending_works(practice, settings):
    staff = verified_staff_client(User.objects.create_superuser("root@webpt.example", "staff horse battery staple"))
    designation = Designation.objects.get(practice=practice)
    settings.EMAIL_BACKEND = "mips_portal.tests.failing_email.Backend"
    assert services.invitation_send(designation=designation) is False
    designation.refresh_from_db()
    assert designation.invitation_error and designation.invited_at is None
    listing = staff.get(reverse("admin:accounts_designation_changelist")).content.decode()
    assert "re-send the invitation" in listing
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    staff.post(reverse("admin:accounts_designation_changelist"), {"action": "resend_invitation", "_selected_action": [designation.pk]})
    designation.refresh_from_db()
    assert designation.invitation_error == "" and designation.invited_at is not None
    assert [m.to for m in mail.outbox] == [[designation.email]]
