"""`invite_admin` designates an address and emails the invitation."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import Designation
from practices.models import Enrollment

pytestmark = pytest.mark.django_db


def test_invite_admin_creates_practice_designation_enrollment_and_sends_the_email():
    call_command("invite_admin", " Ada@Sunrise-PT.example ", "--practice", "Sunrise Physical Therapy", "--year", "2021")
    designation = Designation.objects.get()
    assert designation.email == "ada@sunrise-pt.example" and designation.practice.name == "Sunrise Physical Therapy"
    assert Enrollment.objects.filter(practice=designation.practice, year__year=2021).exists()
    (message,) = mail.outbox
    assert message.to == ["ada@sunrise-pt.example"]
    assert "account has been created" in message.subject
    assert "/accounts/signup/" in message.body
    assert designation.invited_at is not None


def test_invite_admin_again_with_another_address_replaces_the_designation():
    call_command("invite_admin", "ada@sunrise-pt.example", "--practice", "Sunrise Physical Therapy")
    call_command("invite_admin", "grace@sunrise-pt.example", "--practice", "Sunrise Physical Therapy")
    assert list(Designation.objects.values_list("email", flat=True)) == ["grace@sunrise-pt.example"]


def test_invite_admin_refuses_an_unknown_year_and_a_bad_address():
    with pytest.raises(CommandError, match="No performance year 2031"):
        call_command("invite_admin", "ada@sunrise-pt.example", "--practice", "Sunrise", "--year", "2031")
    with pytest.raises(CommandError, match="Not a valid email"):
        call_command("invite_admin", "not-an-address", "--practice", "Sunrise")
    assert not Designation.objects.exists()
