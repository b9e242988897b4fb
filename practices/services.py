"""Writes for practices and enrollments."""

from django.db import transaction

from practices.models import Enrollment, PerformanceYear, Practice


def performance_year_default() -> PerformanceYear:
    """Return the most recent open performance year."""
    return PerformanceYear.objects.filter(is_open=True).order_by("-year").first() or PerformanceYear.objects.get(year=2021)


def enrollment_ensure(*, practice: Practice, year: PerformanceYear | None = None) -> Enrollment:
    """Return the practice's enrollment in the year (default: the latest open one), creating it if needed."""
    year = year or performance_year_default()
    with transaction.atomic():
        enrollment, _ = Enrollment.objects.get_or_create(practice=practice, year=year)
    return enrollment
