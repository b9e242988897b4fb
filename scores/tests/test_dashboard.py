"""The scores panel on the practice dashboard: shown after a successful load, drawn server-side, bounded queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scores import services
from scores.models import ImprovementActivity
from scores.tests.factories import aggregate_create, data_load_succeeded, enrollment_create, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(db):
    return user_create()


@pytest.fixture
def enrollment(rules, administrator):
    return enrollment_create(administrator=administrator, is_small=True)


@pytest.fixture
def signed_in(client, administrator):
    client.force_login(administrator)
    return client


def dashboard(client, enrollment):
    return client.get(reverse("practices:dashboard", args=[enrollment.year.year, enrollment.practice_id]))


def test_scores_appear_only_after_a_successful_load(signed_in, enrollment):
    aggregate_create(enrollment, "134", met=80, not_met=20)
    before = dashboard(signed_in, enrollment).content.decode()
    assert "once your quality data has loaded" in before and "Final score gauge" not in before
    data_load_succeeded(enrollment)
    after = dashboard(signed_in, enrollment).content.decode()
    assert "Final score gauge" in after


def test_dashboard_shows_scores_gauge_categories_and_measures_table(signed_in, enrollment):
    aggregate_create(enrollment, "134", met=80, not_met=20)  # 6.6378 points (see test_services)
    data_load_succeeded(enrollment)
    activity = ImprovementActivity.objects.get(year__year=2021, activity_id="IA_EPA_1")
    services.activity_attest(enrollment=enrollment, activity=activity, start_date=datetime.date(2021, 1, 1),
                             end_date=datetime.date(2021, 3, 31), group_participation=True, user=enrollment.submitted_by)
    page = dashboard(signed_in, enrollment).content.decode()
    # Quality (6.6378 + 6 small-practice bonus) / 60 = 21.063 % × 85 = 17.90; IA 40/40 × 15 = 15 → 32.90.
    assert '<svg class="portal-gauge"' in page and 'role="img"' in page
    assert "Current final score 32.90 of 100" in page  # the gauge's text alternative
    assert "below the performance threshold of 60" in page
    assert "negative payment adjustment of −5.42 %" in page  # −9 × (60 − 32.90)/45
    assert "<strong>Quality</strong> (weight 85 %)" in page and "<strong>Improvement Activities</strong> (weight 15 %)" in page
    assert "Reweighted to 0 % for this practice: Promoting Interoperability, Cost." in page
    assert '<th scope="row" data-label="Measure">#134 ' in page
    assert "6.64" in page and "decile plus partial points" in page
    assert 'aria-label="Quality: current 21.1 %, projected 21.1 % of the category"' in page


def test_dashboard_query_count_does_not_grow_with_measures(signed_in, enrollment):
    data_load_succeeded(enrollment)
    aggregate_create(enrollment, "134", met=80, not_met=20)
    with CaptureQueriesContext(connection) as one:
        dashboard(signed_in, enrollment)
    for measure_id in ("130", "155", "182", "217", "218", "478", "001"):
        aggregate_create(enrollment, measure_id, met=30, not_met=10)
    with CaptureQueriesContext(connection) as eight:
        page = dashboard(signed_in, enrollment).content.decode()
    assert page.count('data-label="Measure"') == 8
    assert len(eight) == len(one)


def test_dashboard_says_when_the_years_cms_data_is_missing(signed_in, enrollment):
    from scores.models import ScoringYear

    data_load_succeeded(enrollment)
    ScoringYear.objects.filter(year=enrollment.year).delete()
    assert "are not loaded in the portal yet" in dashboard(signed_in, enrollment).content.decode()
