"""Portal home → performance year → practice dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

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
    enrollment = selectors.enrollment_for_user(request.user, year=year, practice_id=practice_id)
    return render(request, "practices/dashboard.html", {"enrollment": enrollment})
