import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from practices.models import PerformanceYear
from staff.tests.helpers import administrator_create, setup_in_status, setups_bulk_create

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:practices_enrollment_changelist")


def practices_listed(client, **params):
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return sorted(row.practice.name for row in response.context["cl"].result_list)


@pytest.fixture
def three_setups(administrator):
    """Loaded (small, both exempt); in progress up to the TIN (small, neither exempt); invited (nothing answered)."""
    loaded = setup_in_status("loaded", administrator=administrator, name="Alpha Rehab", tin="46-1234567")
    progressing = setup_in_status("in_progress", administrator=administrator, name="Beta Therapy", upto="tin", tin="47-7654321",
                                  reweight="False", exemptions={"only_using_webpt": "", "cost_exempt": ""})
    invited = setup_in_status("invited", administrator=administrator, name="Gamma Clinic")
    return loaded, progressing, invited


def test_status_filter_finds_the_set_ups_in_each_status(superuser_client, three_setups):
    expected = {"loaded": ["Alpha Rehab"], "in_progress": ["Beta Therapy"], "invited": ["Gamma Clinic"], "submitted": [],
                "not_invited": [], "signed_up": [], "data_loading": [], "load_failed": []}
    assert {status: practices_listed(superuser_client, status=status) for status in expected} == expected
    assert "In progress, step 6 of 7: Business Associate Agreement" in superuser_client.get(CHANGELIST).content.decode()


def test_exemption_filters_split_yes_no_and_not_answered(superuser_client, three_setups):
    expected = {
        ("small", "yes"): ["Alpha Rehab", "Beta Therapy"], ("small", "no"): [], ("small", "unanswered"): ["Gamma Clinic"],
        ("pi_exempt", "yes"): ["Alpha Rehab"], ("pi_exempt", "no"): ["Beta Therapy"], ("pi_exempt", "unanswered"): ["Gamma Clinic"],
        ("cost_exempt", "yes"): ["Alpha Rehab"], ("cost_exempt", "no"): ["Beta Therapy"], ("cost_exempt", "unanswered"): ["Gamma Clinic"],
    }
    assert {key: practices_listed(superuser_client, **{key[0]: key[1]}) for key in expected} == expected


def test_year_filter(superuser_client, three_setups):
    year_2021 = PerformanceYear.objects.get(year=2021)
    year_2022 = PerformanceYear.objects.create(year=2022)
    assert practices_listed(superuser_client, year__id__exact=year_2021.pk) == ["Alpha Rehab", "Beta Therapy", "Gamma Clinic"]
    assert practices_listed(superuser_client, year__id__exact=year_2022.pk) == []


def test_search_by_tin_last_four_practice_name_or_administrator_email(superuser_client, three_setups):
    expected = {
        "4567": ["Alpha Rehab"], "4321": ["Beta Therapy"], "9999": [], "therap": ["Beta Therapy"], "GAMMA": ["Gamma Clinic"],
        "invited@sunrise": ["Gamma Clinic"], "ada@sunrise-pt.example": ["Alpha Rehab", "Beta Therapy"], " 4567 ": ["Alpha Rehab"],
    }
    assert {term: practices_listed(superuser_client, q=term) for term in expected} == expected


@pytest.mark.parametrize("term", ["461234567", "46-1234567", "46 1234567"])
def test_D3_a_whole_tin_is_never_searched(superuser_client, three_setups, term):
    response = superuser_client.get(CHANGELIST, {"q": term})
    assert list(response.context["cl"].result_list) == []
    assert "last four digits only" in response.content.decode()


def test_D3_tin_is_not_a_search_field():
    from django.contrib import admin

    from practices.models import Enrollment

    fields = admin.site._registry[Enrollment].search_fields
    assert not any("tin" in name for name in fields)


def changelist_query_count(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"status": "loaded"}, {"small": "yes", "cost_exempt": "no"}, {"q": "0007"},
                                    {"q": "Bulk practice"}, {"o": "1"}, {"o": "8"}])
def test_changelist_query_count_is_the_same_for_10_and_1000_enrollments(superuser_client, params):
    submitter = administrator_create("submitter@bulk.example")
    setups_bulk_create(10, submitter=submitter)
    with_10 = changelist_query_count(superuser_client, **params)
    setups_bulk_create(990, start=10, submitter=submitter)
    with_1000 = changelist_query_count(superuser_client, **params)
    assert with_10 == with_1000
    print(f"changelist {params}: {with_10} queries for 10 enrollments, {with_1000} for 1,000")


def test_changelist_pages_through_1000_enrollments_in_every_state(superuser_client):
    setups_bulk_create(1000, submitter=User.objects.create_user("s@bulk.example", "x" * 20))
    response = superuser_client.get(CHANGELIST)
    statuses = {row.setup_status for row in response.context["cl"].result_list}
    assert statuses == {"in_progress", "data_loading", "loaded", "load_failed"}
    assert response.context["cl"].result_count == 1000
