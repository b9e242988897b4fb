import pytest
from django.core.management import call_command

from practices.models import PerformanceYear
from scores.models import ScoringYear


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load CMS's 2021 data from the real npm package once per test session (about a second)."""
    with django_db_blocker.unblock():
        call_command("load_qpp_data", "--year", "2021", verbosity=0)


@pytest.fixture
def rules(db) -> ScoringYear:
    """The 2021 scoring rules; reloaded if a transactional test elsewhere flushed the database."""
    if not ScoringYear.objects.filter(year__year=2021).exists():
        PerformanceYear.objects.get_or_create(year=2021)  # a flush also removes the migration's 2021 row
        call_command("load_qpp_data", "--year", "2021", verbosity=0)
    return ScoringYear.objects.prefetch_related("weights").get(year__year=2021)
