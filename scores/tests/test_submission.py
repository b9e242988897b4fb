"""The QPP submission file: its API shape, the administrator's download and staff's download from admin."""

import datetime
import json

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.mfa import verified_staff_client
from scores import services
from scores.models import ImprovementActivity
from scores.tests.factories import aggregate_create, enrollment_create, user_create

pytestmark = pytest.mark.django_db
TIN = "012345678"
COUNT_KEYS = {"performanceMet", "performanceNotMet", "eligiblePopulationExclusion", "eligiblePopulationException",
              "eligiblePopulation"}


@pytest.fixture
def administrator(db):
    return user_create()


@pytest.fixture
def enrollment(rules, administrator):
    enrollment = enrollment_create(administrator=administrator, tin=TIN)
    aggregate_create(enrollment, "182", met=120, not_met=30, exceptions=6)
    aggregate_create(enrollment, "226", met=40, not_met=10, not_reported=5)  # a multi-performance-rate measure
    for activity_id, start, end, group in (("IA_EPA_1", (1, 1), (3, 31), True), ("IA_BE_4", (4, 1), (7, 31), True),
                                           ("IA_PSPA_21", (5, 1), (9, 30), False)):
        services.activity_attest(
            enrollment=enrollment, activity=ImprovementActivity.objects.get(year__year=2021, activity_id=activity_id),
            start_date=datetime.date(2021, *start), end_date=datetime.date(2021, *end), group_participation=group,
            user=administrator,
        )
    return enrollment


def test_file_has_a_quality_and_an_ia_measurement_set_in_the_api_shape(enrollment):
    quality, ia = services.submission_file_build(enrollment=enrollment)["measurementSets"]
    for measurement_set in (quality, ia):
        assert measurement_set["submission"] == {"entityType": "group", "taxpayerIdentificationNumber": TIN, "performanceYear": 2021}
        assert (measurement_set["submissionMethod"], measurement_set["programName"]) == ("registry", "mips")
        assert isinstance(measurement_set["submission"]["taxpayerIdentificationNumber"], str) and len(TIN) == 9
    assert (quality["category"], quality["performanceStart"], quality["performanceEnd"]) == ("quality", "2021-01-01", "2021-12-31")
    single, multi = quality["measurements"]
    assert single == {"measureId": "182", "value": {
        "isEndToEndReported": False, "performanceMet": 120, "performanceNotMet": 30, "eligiblePopulationExclusion": 0,
        "eligiblePopulationException": 6, "eligiblePopulation": 156}}
    assert multi["measureId"] == "226" and multi["value"]["isEndToEndReported"] is False
    assert [set(s) for s in multi["value"]["strata"]] == [COUNT_KEYS | {"stratum"}]
    assert multi["value"]["strata"][0]["stratum"] == "overall"
    # Activities with the 50 % participation tick only; the set's period runs from the first start to the last end.
    assert (ia["category"], ia["performanceStart"], ia["performanceEnd"]) == ("ia", "2021-01-01", "2021-07-31")
    assert ia["measurements"] == [{"measureId": "IA_BE_4", "value": True}, {"measureId": "IA_EPA_1", "value": True}]


def test_every_count_is_an_integer_and_every_measure_id_a_string(enrollment):
    quality, ia = services.submission_file_build(enrollment=enrollment)["measurementSets"]
    for measurement in quality["measurements"] + ia["measurements"]:
        assert isinstance(measurement["measureId"], str)
    values = [quality["measurements"][0]["value"], *quality["measurements"][1]["value"]["strata"]]
    assert all(type(v[k]) is int for v in values for k in COUNT_KEYS)


def test_D3_administrator_downloads_the_file_with_the_tin_in_the_body_only(client, administrator, enrollment):
    client.force_login(administrator)
    path = reverse("scores:submission", args=[2021, enrollment.practice_id])
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="qpp-submission-2021-practice-{enrollment.practice_id}.json"'
    assert "no-store" in response["Cache-Control"]
    assert TIN not in path and TIN not in response["Content-Disposition"]
    assert json.loads(response.content)["measurementSets"][0]["submission"]["taxpayerIdentificationNumber"] == TIN


def test_download_without_a_tin_explains_instead(client, administrator, rules):
    enrollment = enrollment_create(administrator=administrator, tin=None)
    client.force_login(administrator)
    response = client.get(reverse("scores:submission", args=[2021, enrollment.practice_id]), follow=True)
    assert "The set-up has no TIN yet" in response.content.decode()


def test_staff_download_the_file_from_admin(client, enrollment):
    staff = User.objects.create_superuser("staff@mips-portal.example", "demo staff passphrase 2021")
    verified_staff_client(staff, client)
    changelist = client.get(reverse("admin:scores_submissionfile_changelist")).content.decode()
    download = reverse("admin:scores_submissionfile_download", args=[enrollment.pk])
    assert download in changelist
    response = client.get(download)
    assert response["Content-Disposition"].startswith("attachment;") and "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["measurementSets"][0]["submission"]["taxpayerIdentificationNumber"] == TIN


def test_Z4_practice_administrators_cannot_use_the_admin_download(client, administrator, enrollment):
    client.force_login(administrator)
    response = client.get(reverse("admin:scores_submissionfile_download", args=[enrollment.pk]))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
