"""Reads for practices and enrollments, always scoped to the signed-in administrator."""

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from practices.models import Enrollment, PerformanceYear


def enrollments_for_user(user) -> QuerySet[Enrollment]:
    """Return the enrollments of the practices this user administers."""
    from accounts.models import Designation

    # A semi-join rather than a join: callers add many select_related joins, and PostgreSQL's planning time
    # grows fast with the number of joined tables (half the time of a wizard page's main query).
    administers = Exists(Designation.objects.filter(practice_id=OuterRef("practice_id"), user=user))
    return Enrollment.objects.filter(administers).select_related("practice", "year")


def open_years_for_user(user) -> QuerySet[PerformanceYear]:
    """Return the open performance years in which the user administers at least one practice."""
    return PerformanceYear.objects.filter(is_open=True, enrollments__practice__designation__user=user).distinct().order_by("-year")


def enrollment_for_user(user, *, year: int, practice_id: int) -> Enrollment:
    """Return the user's enrollment of that practice in that year, or raise Http404 (never 403: no hint it exists)."""
    return get_object_or_404(enrollments_for_user(user), year__year=year, year__is_open=True, practice_id=practice_id)
