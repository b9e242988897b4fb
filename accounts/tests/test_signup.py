"""Sign-up as the spec's Flow 2: neutral responses, verification by email, no account for undesignated addresses."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import EmailVerification, User
from accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signup(client, email, password=PASSWORD, first="Ada", last="Lovelace"):
    return client.post(reverse("accounts:signup"), {
        "email": email, "first_name": first, "last_name": last, "password1": password, "password2": password,
    })


def verify_link(message) -> str:
    return re.search(r"http://\S+/accounts/verify/\S+/", message.body).group(0).replace("http://127.0.0.1:8000", "")


def test_A1_designated_and_undesignated_signups_get_the_same_response(client, practice):
    designated = signup(client, "ada@sunrise-pt.example")
    undesignated = signup(client, "eve@elsewhere.example")
    assert designated.status_code == undesignated.status_code == 302
    assert designated["Location"] == undesignated["Location"] == reverse("accounts:signup_sent")
    assert set(designated.headers) == set(undesignated.headers)


def test_A1_undesignated_address_gets_no_account_and_an_explanation_by_email(client, practice):
    signup(client, "eve@elsewhere.example")
    assert not User.objects.filter(email="eve@elsewhere.example").exists()
    (message,) = mail.outbox
    assert message.to == ["eve@elsewhere.example"]
    assert "not the address designated" in message.body
    assert "/accounts/verify/" not in message.body


def test_A2_designated_address_gets_an_inactive_account_and_a_verification_link(client, practice):
    signup(client, "ada@sunrise-pt.example")
    user = User.objects.get(email="ada@sunrise-pt.example")
    assert not user.is_active
    assert user.password.startswith(("md5$", "argon2$"))
    (message,) = mail.outbox
    assert message.to == ["ada@sunrise-pt.example"]
    assert "/accounts/verify/" in message.body


@pytest.mark.parametrize("typed", ["ADA@Sunrise-PT.example", "  ada@sunrise-pt.example  "])
def test_A3_case_and_surrounding_spaces_are_ignored(client, practice, typed):
    signup(client, typed)
    assert User.objects.filter(email="ada@sunrise-pt.example", is_active=False).exists()


@pytest.mark.parametrize("typed", ["ada+mips@sunrise-pt.example", "аda@sunrise-pt.example", "ada@sunrise-pt.example.com"])
def test_A3_look_alike_addresses_never_match(client, practice, typed):
    signup(client, typed)
    assert not User.objects.exists()


def test_following_the_link_activates_signs_in_and_lands_on_portal_home(client, practice):
    signup(client, "ada@sunrise-pt.example")
    link = verify_link(mail.outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response["Location"] == reverse("practices:home")
    user = User.objects.get(email="ada@sunrise-pt.example")
    assert user.is_active and user.designations.get().practice == practice
    home = client.get(reverse("practices:home"))
    assert "Practice Admin" in home.content.decode() and "2021" in home.content.decode()


def test_A2_verification_link_works_only_once(client, practice):
    signup(client, "ada@sunrise-pt.example")
    link = verify_link(mail.outbox[0])
    client.post(link)
    client.post(reverse("accounts:logout"))
    second = client.post(link)
    assert second.status_code == 400
    assert "already been used" in second.content.decode()


def test_A2_verification_link_expires_after_72_hours(client, practice, time_machine):
    time_machine.move_to("2026-12-01 09:00Z")
    signup(client, "ada@sunrise-pt.example")
    link = verify_link(mail.outbox[0])
    time_machine.move_to("2026-12-04 09:01Z")
    response = client.post(link)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not User.objects.get(email="ada@sunrise-pt.example").is_active


def test_A2_tampered_verification_link_fails_with_a_clear_page(client, practice):
    signup(client, "ada@sunrise-pt.example")
    link = verify_link(mail.outbox[0])
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    response = client.get(tampered)
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_A2_link_is_bound_to_the_address_it_was_sent_to(client, practice):
    signup(client, "ada@sunrise-pt.example")
    link = verify_link(mail.outbox[0])
    User.objects.filter(email="ada@sunrise-pt.example").update(email="mallory@elsewhere.example")
    assert client.post(link).status_code == 400


def test_second_signup_for_an_active_address_changes_nothing_and_says_so_by_email(client, practice, administrator):
    old_password = administrator.password
    response = signup(client, "ada@sunrise-pt.example", password="a completely different passphrase")
    assert response["Location"] == reverse("accounts:signup_sent")
    administrator.refresh_from_db()
    assert administrator.password == old_password
    (message,) = mail.outbox
    assert "already exists" in message.body


def test_signing_up_again_before_verifying_replaces_the_first_link(client, practice):
    signup(client, "ada@sunrise-pt.example")
    first_link = verify_link(mail.outbox[0])
    signup(client, "ada@sunrise-pt.example", password="another long passphrase here")
    assert EmailVerification.objects.count() == 1
    assert client.post(first_link).status_code == 400
    assert client.post(verify_link(mail.outbox[1])).status_code == 302


def test_password_rules_are_shown_as_a_checklist_before_typing(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    assert "15 to 128 characters" in page
    assert "not a commonly used password" in page
    assert "Does not contain your name" in page


def test_mismatched_passwords_are_reported_next_to_the_second_box(client, practice):
    response = client.post(reverse("accounts:signup"), {
        "email": "ada@sunrise-pt.example", "first_name": "Ada", "last_name": "Lovelace",
        "password1": PASSWORD, "password2": PASSWORD + "x",
    })
    assert response.status_code == 200
    assert "The two passwords do not match" in response.content.decode()
    assert response.context["form"].errors["password2"]
    assert not User.objects.exists()


def test_R12_mail_server_down_shows_a_friendly_message_and_keeps_the_form(client, practice, settings):
    settings.EMAIL_BACKEND = "mips_portal.tests.failing_email.Backend"
    response = signup(client, "ada@sunrise-pt.example")
    assert response.status_code == 200
    assert "could not send email just now" in response.content.decode()
    assert 'value="ada@sunrise-pt.example"' in response.content.decode()


def test_an_empty_sign_up_says_what_to_enter_in_each_box(client):
    errors = client.post(reverse("accounts:signup"), {}).context["form"].errors
    assert errors["email"] == ["Enter your email address."]
    assert errors["first_name"] == ["Enter your first name."] and errors["last_name"] == ["Enter your last name."]
    assert errors["password1"] == ["Enter a password that follows the rules above."]
