import pytest
from django.utils import timezone

from accounts.models import Designation, User
from onboarding.tests.helpers import PASSWORD
from practices.models import Enrollment, PerformanceYear, Practice


@pytest.fixture
def enrollment(db):
    year = PerformanceYear.objects.get(year=2021)
    practice = Practice.objects.create(name="Sunrise Physical Therapy", top_level_admin_email="mips-admin@webpt.example")
    return Enrollment.objects.create(practice=practice, year=year)


@pytest.fixture
def administrator(enrollment):
    user = User.objects.create_user("ada@sunrise-pt.example", PASSWORD, first_name="Ada", last_name="Lovelace")
    Designation.objects.create(practice=enrollment.practice, email=user.email, user=user, accepted_at=timezone.now())
    return user


@pytest.fixture
def admin_client(client, administrator):
    """A client signed in as the practice's administrator (not Django's staff admin)."""
    client.force_login(administrator)
    return client
