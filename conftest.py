"""Shared by every app's tests."""

import pytest

DB_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def performance_year_2021(request):
    """Make sure the open 2021 year exists for database tests.

    A data migration creates it, but a transactional test (live_server, transaction=True) empties every table
    when it ends, so the tests after it would not find it.
    """
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if not marker and not names & DB_FIXTURES:
        return
    transactional = (marker and marker.kwargs.get("transaction")) or names & {"transactional_db", "live_server"}
    request.getfixturevalue("transactional_db" if transactional else "db")
    from practices.models import PerformanceYear

    PerformanceYear.objects.get_or_create(year=2021, defaults={"is_open": True})
