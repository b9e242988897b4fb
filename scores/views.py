"""The administrator's scoring pages (measure choice, activity attestation) and the submission-file download.

Every page is scoped with `enrollment_for_user`, so another user's practice is a 404, and opens only once the
set-up has been submitted.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from onboarding.choices import Specialty
from practices.selectors import enrollment_for_user
from scores import selectors, services
from scores.forms import ActivityAttestationForm, MeasureChoiceForm
from scores.models import ActivityAttestation


def _dashboard(enrollment):
    return reverse("practices:dashboard", args=[enrollment.year.year, enrollment.practice_id])


def _submitted_enrollment(request, year: int, practice_id: int):
    """Return (enrollment, None), or (enrollment, redirect to the dashboard) while the set-up is not submitted."""
    enrollment = enrollment_for_user(request.user, year=year, practice_id=practice_id)
    if enrollment.is_submitted:
        return enrollment, None
    messages.warning(request, "Submit your account set-up first; then you can choose measures and attest activities.")
    return enrollment, redirect(_dashboard(enrollment))


@never_cache
@login_required
def measures(request, year: int, practice_id: int):
    """Let the administrator choose the quality measures to report (default: every measure with loaded data)."""
    enrollment, refusal = _submitted_enrollment(request, year, practice_id)
    if refusal:
        return refusal
    facts = selectors.practice_facts(enrollment)
    cases = selectors.loaded_measure_counts(enrollment)
    chosen = list(enrollment.measure_selections.values_list("measure_id", flat=True))
    available = selectors.measures_for_choice(enrollment)
    if not chosen:
        chosen = list(available.filter(measure_id__in=list(cases)).values_list("pk", flat=True))
    form = MeasureChoiceForm(
        request.POST if request.method == "POST" else None, measures=available, measure_set=facts.measure_set, cases=cases,
        specialty=Specialty(facts.specialty).label if facts.specialty else "",
        initial={"specialty_measures": chosen, "other_measures": chosen},
    )
    if request.method == "POST" and form.is_valid():
        services.measure_selection_save(enrollment=enrollment, measures=form.cleaned_data["measures"])
        messages.success(request, f"Saved: {len(form.cleaned_data['measures'])} quality measures will be scored.")
        return redirect(_dashboard(enrollment))
    return render(request, "scores/measures.html", {
        "enrollment": enrollment, "form": form, "facts": facts, "has_measures": available.exists(),
        "cases_loaded": bool(cases),
    })


@never_cache
@login_required
def activities(request, year: int, practice_id: int):
    """List the attested improvement activities and attest one more (or change one's period)."""
    enrollment, refusal = _submitted_enrollment(request, year, practice_id)
    if refusal:
        return refusal
    rules = selectors.scoring_rules(enrollment.year_id)
    inventory = selectors.activities_for_year(enrollment.year_id)
    form = ActivityAttestationForm(
        request.POST if request.method == "POST" else None, activities=inventory, year=enrollment.year.year,
        min_days=rules.ia_min_days if rules else 90,
        instance=ActivityAttestation(enrollment=enrollment),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_attest(
                enrollment=enrollment, activity=data["activity"], start_date=data["start_date"], end_date=data["end_date"],
                group_participation=data["group_participation"], user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Activity {data['activity'].activity_id} attested.")
            return redirect("scores:activities", year=year, practice_id=practice_id)
    return render(request, "scores/activities.html", {
        "enrollment": enrollment, "form": form, "attestations": selectors.attestations(enrollment),
        "has_inventory": inventory.exists(), "rules": rules,
    })


@never_cache
@login_required
@require_POST
def activity_remove(request, year: int, practice_id: int, attestation_id: int):
    """Withdraw one attestation."""
    enrollment, refusal = _submitted_enrollment(request, year, practice_id)
    if refusal:
        return refusal
    attestation = get_object_or_404(selectors.attestations(enrollment), pk=attestation_id)
    services.activity_attestation_withdraw(attestation=attestation)
    messages.success(request, f"Activity {attestation.activity.activity_id} removed.")
    return redirect("scores:activities", year=year, practice_id=practice_id)


def submission_response(enrollment) -> HttpResponse:
    """Return the submission file as a download that no cache keeps (the TIN is in the body only)."""
    body = json.dumps(services.submission_file_build(enrollment=enrollment), indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{services.submission_filename(enrollment)}"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_GET
def submission_file(request, year: int, practice_id: int):
    """Download the practice's year as QPP Submissions API measurement sets."""
    enrollment, refusal = _submitted_enrollment(request, year, practice_id)
    if refusal:
        return refusal
    try:
        return submission_response(enrollment)
    except services.SubmissionFileError as exc:
        messages.error(request, str(exc))
        return redirect(_dashboard(enrollment))
