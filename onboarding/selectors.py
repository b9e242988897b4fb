"""Reads of set-up records, loaded together so a wizard request costs a fixed number of queries."""

from django.shortcuts import get_object_or_404

from onboarding.models import Signature
from practices.models import Enrollment
from practices.selectors import enrollments_for_user

STEP_RELATIONS = ("profile", "small_practice", "pi_survey", "exemptions", "tax_identifier")


def enrollment_with_steps(enrollment_qs, **lookup) -> Enrollment:
    """Return the enrollment with its practice, year, step rows and active signatures, or raise Http404."""
    enrollment = get_object_or_404(enrollment_qs.select_related("practice", "year", *STEP_RELATIONS), **lookup)
    enrollment.active_signatures = {
        s.document: s for s in Signature.objects.filter(enrollment=enrollment, voided_at__isnull=True)
    }
    return enrollment


def enrollment_for_setup(user, *, year: int, practice_id: int) -> Enrollment:
    """Return the user's enrollment for that practice and open year, with every step loaded, or raise Http404."""
    return enrollment_with_steps(enrollments_for_user(user), year__year=year, year__is_open=True, practice_id=practice_id)


def step_record(enrollment: Enrollment, relation: str):
    """Return the loaded step row for a one-to-one relation, or None if that step was never saved."""
    return getattr(enrollment, relation, None)
