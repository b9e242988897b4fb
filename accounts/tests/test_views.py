"""Sign-in, throttling, sign-out, and who may see what."""

import pytest
from django.urls import reverse

from accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_administrator_signs_in_with_email_in_any_case(client, administrator):
    response = login(client, "ADA@sunrise-pt.example", PASSWORD)
    assert response["Location"] == reverse("practices:home")


def test_A4_wrong_password_and_unknown_user_get_the_same_message(client, administrator):
    wrong = login(client, "ada@sunrise-pt.example", "not the password at all")
    unknown = login(client, "nobody@sunrise-pt.example", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_A5_repeated_failed_logins_are_throttled_with_a_page_that_says_when_to_retry(client, administrator):
    for _ in range(5):
        login(client, "ada@sunrise-pt.example", "wrong guess number one")
    locked = login(client, "ada@sunrise-pt.example", PASSWORD)
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.content.decode()
    assert locked["Retry-After"] == "900"


def test_A5_throttle_lifts_after_the_cool_off(client, administrator, time_machine):
    time_machine.move_to("2026-12-04 10:00Z")
    for _ in range(5):
        login(client, "ada@sunrise-pt.example", "wrong guess number one")
    time_machine.move_to("2026-12-04 10:16Z")
    assert login(client, "ada@sunrise-pt.example", PASSWORD).status_code == 302


def test_A9_logout_is_post_only(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("practices:home"))["Location"].startswith(reverse("accounts:login"))


def test_Z3_portal_pages_need_sign_in(client, practice):
    for url in [reverse("practices:home"), reverse("practices:year", args=[2021]),
                reverse("practices:dashboard", args=[2021, practice.pk])]:
        assert client.get(url)["Location"].startswith(reverse("accounts:login"))


def test_home_year_and_dashboard_lead_to_the_practice(client, administrator, practice):
    client.force_login(administrator)
    home = client.get(reverse("practices:home")).content.decode()
    assert reverse("practices:year", args=[2021]) in home
    year = client.get(reverse("practices:year", args=[2021])).content.decode()
    assert "Sunrise Physical Therapy" in year and reverse("practices:dashboard", args=[2021, practice.pk]) in year
    assert client.get(reverse("practices:dashboard", args=[2021, practice.pk])).status_code == 200


def test_Z1_a_user_cannot_see_another_practices_year_page_or_dashboard(client, administrator, year_2021):
    from accounts.models import Designation
    from practices.models import Enrollment, Practice

    other = Practice.objects.create(name="Other Rehab", top_level_admin_email="a@webpt.example")
    Enrollment.objects.create(practice=other, year=year_2021)
    Designation.objects.create(practice=other, email="someone@other.example")
    client.force_login(administrator)
    assert client.get(reverse("practices:dashboard", args=[2021, other.pk])).status_code == 404
    assert client.get(reverse("practices:dashboard", args=[2022, administrator.designations.get().practice_id])).status_code == 404
    assert client.get(reverse("practices:year", args=[2030])).status_code == 404


def test_Z4_practice_administrator_cannot_enter_django_admin(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    login_page = client.post("/admin/login/", {"username": administrator.email, "password": PASSWORD})
    assert login_page.status_code == 200 and "staff account" in login_page.content.decode()


def test_A4_password_reset_always_says_if_an_account_exists(client, administrator):
    known = client.post(reverse("accounts:password_reset"), {"email": administrator.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
