"""Staff pages for the loaded CMS data, the rules and the practices' choices open, and CMS rows are read-only."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.mfa import verified_staff_client
from scores.tests.factories import measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, rules):
    return verified_staff_client(User.objects.create_superuser("staff@mips-portal.example", "demo staff passphrase 2021"), client)


@pytest.mark.parametrize("model", ["qualitymeasure", "improvementactivity", "scoringyear", "measureselection",
                                   "activityattestation", "submissionfile"])
def test_changelists_open(staff_client, model):
    assert staff_client.get(reverse(f"admin:scores_{model}_changelist")).status_code == 200


def test_a_measure_shows_its_benchmark_read_only(staff_client):
    page = staff_client.get(reverse("admin:scores_qualitymeasure_change", args=[measure("130").pk])).content.decode()
    assert "86.7100" in page and "Topped out by program" in page
    assert staff_client.get(reverse("admin:scores_qualitymeasure_add")).status_code == 403
