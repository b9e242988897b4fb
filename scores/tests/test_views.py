"""The administrator's pages, the dashboard panel and the submission-file download, through the test client."""

import datetime
import re

import pytest
from django.urls import reverse

from scores.models import ActivityAttestation, ImprovementActivity, MeasureSelection
from scores.tests.factories import aggregate_create, enrollment_create, measure, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(db):
    return user_create("ada@sunrise-pt.example")


@pytest.fixture
def enrollment(rules, administrator):
    return enrollment_create(administrator=administrator, tin="987654321")


@pytest.fixture
def signed_in(client, administrator):
    client.force_login(administrator)
    return client


def url(name, enrollment, *args):
    return reverse(f"scores:{name}", args=[enrollment.year.year, enrollment.practice_id, *args])


def dashboard(enrollment):
    return reverse("practices:dashboard", args=[enrollment.year.year, enrollment.practice_id])


def test_Z1_pages_of_another_users_practice_are_404(signed_in, rules):
    other = enrollment_create(administrator=user_create())
    attestation = ActivityAttestation.objects.create(
        enrollment=other, activity=ImprovementActivity.objects.filter(year__year=2021).first(),
        start_date=datetime.date(2021, 1, 1), end_date=datetime.date(2021, 3, 31), group_participation=True,
        attested_by=other.submitted_by, attested_at=other.submitted_at,
    )
    for page in ("measures", "activities", "submission"):
        assert signed_in.get(url(page, other)).status_code == 404
    assert signed_in.post(url("activity_remove", other, attestation.pk)).status_code == 404
    assert ActivityAttestation.objects.filter(pk=attestation.pk).exists()


def test_pages_wait_for_the_submitted_setup(signed_in, administrator, rules):
    draft = enrollment_create(administrator=administrator, submitted=False)
    for page in ("measures", "activities", "submission"):
        response = signed_in.get(url(page, draft))
        assert response["Location"] == dashboard(draft)


def test_Z3_pages_need_sign_in(client, enrollment):
    assert client.get(url("measures", enrollment))["Location"].startswith(reverse("accounts:login"))


def test_measure_page_lists_the_specialty_set_first_with_loaded_cases(signed_in, enrollment):
    aggregate_create(enrollment, "182", met=40, not_met=2)
    page = signed_in.get(url("measures", enrollment)).content.decode()
    specialty_part, other_part = page.split("Add measures from other specialties")
    assert "#217 Functional Status Change for Patients with Knee Impairments" in specialty_part
    assert "#182 Functional Outcome Assessment · process · high priority · 42 cases loaded" in specialty_part
    assert "#001 " in other_part and "#001 " not in specialty_part
    # The default choice is every measure with loaded data.
    checked = re.findall(r'<input[^>]*name="specialty_measures"[^>]*>', page)
    assert [c for c in checked if "checked" in c] == [c for c in checked if f'value="{measure("182").pk}"' in c]


def test_measure_choice_is_saved(signed_in, enrollment):
    chosen = [measure("217").pk, measure("182").pk]
    response = signed_in.post(url("measures", enrollment), {"specialty_measures": chosen, "other_measures": [measure("001").pk]})
    assert response["Location"] == dashboard(enrollment)
    assert set(MeasureSelection.objects.filter(enrollment=enrollment).values_list("measure__measure_id", flat=True)) == {
        "217", "182", "001"}


def test_measure_choice_needs_one_measure(signed_in, enrollment):
    response = signed_in.post(url("measures", enrollment), {})
    assert response.status_code == 200
    assert "Choose at least one quality measure." in response.content.decode()
    assert not MeasureSelection.objects.filter(enrollment=enrollment).exists()


def attest(client, enrollment, **overrides):
    activity = ImprovementActivity.objects.get(year__year=2021, activity_id="IA_EPA_1")
    data = {"activity": activity.pk, "start_date": "2021-04-01", "end_date": "2021-06-29", "group_participation": "on"}
    return client.post(url("activities", enrollment), {**data, **overrides})


def test_activity_attested_with_a_90_day_period(signed_in, enrollment):
    response = attest(signed_in, enrollment)  # Apr 1 – Jun 29 is exactly 90 days
    assert response["Location"] == url("activities", enrollment)
    attestation = ActivityAttestation.objects.get(enrollment=enrollment)
    assert (attestation.days, attestation.group_participation) == (90, True)
    page = signed_in.get(url("activities", enrollment)).content.decode()
    assert "2021-04-01 to 2021-06-29 (90 days)" in page


def test_attesting_the_same_activity_again_changes_its_period(signed_in, enrollment):
    attest(signed_in, enrollment)
    attest(signed_in, enrollment, start_date="2021-07-01", end_date="2021-12-31")
    attestation = ActivityAttestation.objects.get(enrollment=enrollment)
    assert (attestation.start_date, attestation.end_date) == (datetime.date(2021, 7, 1), datetime.date(2021, 12, 31))


@pytest.mark.parametrize("overrides, field, message", [
    ({"end_date": "2021-06-28"}, "end_date", "at least 90 consecutive days; this period has 89."),
    ({"start_date": "2020-12-01"}, "start_date", "Enter a start date in 2021."),
    ({"end_date": "2022-01-15", "start_date": "2021-11-01"}, "end_date", "Enter an end date in 2021."),
    ({"start_date": "2021-06-29", "end_date": "2021-04-01"}, "end_date", "The end date must be after the start date."),
    ({"group_participation": ""}, "group_participation", "Confirm that at least half of the group"),
    ({"start_date": "not a date"}, "start_date", "Enter a valid date."),
])
def test_activity_period_is_validated_with_field_messages(signed_in, enrollment, overrides, field, message):
    response = attest(signed_in, enrollment, **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'href="#id_{field}"' in response.content.decode()  # the error summary links to the field
    assert not ActivityAttestation.objects.filter(enrollment=enrollment).exists()


def test_activity_attestation_removed(signed_in, enrollment):
    attest(signed_in, enrollment)
    attestation = ActivityAttestation.objects.get(enrollment=enrollment)
    assert signed_in.get(url("activity_remove", enrollment, attestation.pk)).status_code == 405
    signed_in.post(url("activity_remove", enrollment, attestation.pk))
    assert not ActivityAttestation.objects.filter(enrollment=enrollment).exists()
