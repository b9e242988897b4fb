import pytest

from accounts.models import Designation, User
from practices.models import Enrollment, PerformanceYear, Practice

PASSWORD = "correct horse battery staple"


@pytest.fixture
def year_2021(db):
    return PerformanceYear.objects.get(year=2021)


@pytest.fixture
def practice(db, year_2021):
    practice = Practice.objects.create(name="Sunrise Physical Therapy", top_level_admin_email="mips-admin@webpt.example")
    Enrollment.objects.create(practice=practice, year=year_2021)
    Designation.objects.create(practice=practice, email="ada@sunrise-pt.example")
    return practice


@pytest.fixture
def administrator(practice):
    """An active account that administers `practice`."""
    from django.utils import timezone

    user = User.objects.create_user("ada@sunrise-pt.example", PASSWORD, first_name="Ada", last_name="Lovelace")
    Designation.objects.filter(practice=practice).update(user=user, accepted_at=timezone.now())
    return user
