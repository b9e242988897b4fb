import pytest
from django.urls import reverse

from onboarding.models import Exemptions, PiSurvey, PracticeProfile, Signature, SmallPractice, TaxIdentifier
from onboarding.tests.helpers import complete_steps

pytestmark = pytest.mark.django_db


def test_walking_all_steps_writes_every_row_and_submits(admin_client, enrollment):
    response = complete_steps(admin_client, enrollment, "waiver")
    assert response["Location"] == reverse("onboarding:summary", args=[2021, enrollment.practice_id])
    profile = PracticeProfile.objects.get(enrollment=enrollment)
    assert profile.phone == "+16025551234" and profile.ehr_vendor == "webpt"
    assert SmallPractice.objects.get(enrollment=enrollment).is_small
    assert PiSurvey.objects.get(enrollment=enrollment).pi_exempt
    assert Exemptions.objects.get(enrollment=enrollment).cost_exempt
    assert TaxIdentifier.objects.get(enrollment=enrollment).tin_last4 == "4567"
    assert Signature.objects.filter(enrollment=enrollment, voided_at__isnull=True).count() == 2
    enrollment.refresh_from_db()
    assert enrollment.submitted_at is not None
    summary = admin_client.get(response["Location"]).content.decode()
    assert "Your account set-up is complete" in summary and "**-***4567" in summary and "461234567" not in summary
