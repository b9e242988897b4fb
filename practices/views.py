"""Portal home → performance year → practice dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from onboarding.selectors import enrollment_for_setup
from onboarding.services import onboarding_progress
from onboarding.steps import STEPS, STEPS_BY_NAME
from practices import selectors


@never_cache
@login_required
def home(request):
    """Show the Practice Admin section: one button per open performance year."""
    return render(request, "practices/home.html", {"years": selectors.open_years_for_user(request.user)})


@never_cache
@login_required
def year_detail(request, year: int):
    """List the user's practices in one performance year, each with a Dashboard button."""
    enrollments = selectors.enrollments_for_user(request.user).filter(year__year=year, year__is_open=True)
    if not enrollments:
        raise Http404
    return render(request, "practices/year.html", {"year": year, "enrollments": enrollments})


@never_cache
@login_required
def dashboard(request, year: int, practice_id: int):
    """Show one practice's set-up status (and, later, its data load and scores) for the year."""
    enrollment = enrollment_for_setup(request.user, year=year, practice_id=practice_id)
    progress = onboarding_progress(enrollment)
    return render(request, "practices/dashboard.html", {
        "enrollment": enrollment, "progress": progress, "step_count": len(STEPS),
        "next_step": STEPS_BY_NAME.get(progress.first_incomplete),
    })
