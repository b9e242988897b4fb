"""The password policy (NIST SP 800-63B-4) as a table of cases."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import Designation, User
from practices.models import Practice

ADA = User(email="ada.lovelace@sunrise-pt.example", first_name="Ada", last_name="Lovelace")


@pytest.mark.parametrize(("password", "accepted"), [
    ("x7#kq" * 2 + "abcd", False),                        # 14 characters
    ("x7#kq" * 3, True),                                  # 15
    ("rivers and mountains meet " * 2 + "at the sea today", True),   # 68 characters
    (("rivers and mountains meet at the sea " * 4)[:128], True),
    (("rivers and mountains meet at the sea " * 4)[:129], False),
    ("v" * 20, False),                                    # one character repeated
    ("tulips in the rain at noon", True),                 # passphrase with spaces, all lower-case
    ("żółw na łące 🐢 śpiewa głośno", True),             # accents and emoji
    ("passwordpassword", False),                          # common (Django's list)
    ("password1234567890", False),                        # common, padded with digits
    ("1q2w3e4r5t6y7u8i9o0p", False),                      # common keyboard walk in the list
    ("my name is lovelace and i run", False),              # contains the last name
    ("ADA.LOVELACE-likes-long-walks", False),             # contains the email's local part, in another case
    ("best mips reporting year ever", False),             # the portal's own words
])
@pytest.mark.django_db
def test_A6_password_policy(password, accepted):
    try:
        validate_password(password, ADA)
    except ValidationError:
        assert not accepted, f"{password!r} should be accepted"
    else:
        assert accepted, f"{password!r} should be rejected"


@pytest.mark.django_db
def test_A6_password_containing_a_designated_practice_name_is_rejected():
    practice = Practice.objects.create(name="Blue Heron Rehab", top_level_admin_email="a@webpt.example")
    Designation.objects.create(practice=practice, email=ADA.email)
    with pytest.raises(ValidationError, match="practice's name"):
        validate_password("i love blue  heron rehab so much", ADA)


@pytest.mark.django_db
def test_A6_no_character_class_rules_are_imposed():
    validate_password("aaaa bbbb cccc dddd", User(email="x@y.example"))
