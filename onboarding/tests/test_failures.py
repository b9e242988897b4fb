"""A failure in the middle of saving a step leaves nothing half-written, and saving again works (R4); tampering with the
wizard's management form is logged as a security event (I11)."""

import logging
from unittest import mock

import pytest
from django.test import Client

from onboarding.models import PracticeProfile, Signature
from onboarding.tests.helpers import PROFILE, complete_steps, step_url, wizard_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_500(administrator):
    client = Client(raise_request_exception=False)
    client.force_login(administrator)
    return client


def test_R4_a_failure_after_the_row_is_written_rolls_the_whole_step_back_and_a_retry_succeeds(client_500, enrollment):
    with mock.patch("onboarding.services._void_stale_signatures", side_effect=RuntimeError("injected")):
        assert wizard_post(client_500, enrollment, "profile", PROFILE).status_code == 500
    assert not PracticeProfile.objects.exists()
    assert wizard_post(client_500, enrollment, "profile", PROFILE).status_code == 302
    assert PracticeProfile.objects.get().city == "Phoenix"


def test_R4_a_failure_while_voiding_a_signature_keeps_the_old_answer_and_the_signature(client_500, enrollment):
    complete_steps(client_500, enrollment, "baa")
    renamed = PROFILE | {"practice_name": "Sunrise PT & Rehab"}  # voids the signed BAA, which names the practice
    with mock.patch("onboarding.services.signature_void", side_effect=RuntimeError("injected")):
        assert wizard_post(client_500, enrollment, "profile", renamed).status_code == 500
    assert PracticeProfile.objects.get().practice_name == "Sunrise Physical Therapy"
    assert Signature.objects.get(document="baa").voided_at is None
    assert wizard_post(client_500, enrollment, "profile", renamed).status_code == 302
    assert PracticeProfile.objects.get().practice_name == "Sunrise PT & Rehab"
    assert Signature.objects.get(document="baa").voided_at is not None


def test_I11_a_tampered_management_form_is_refused_and_logged(client_500, enrollment, caplog):
    caplog.set_level(logging.WARNING, logger="onboarding.security")
    payload = {f"profile-{k}": v for k, v in PROFILE.items()} | {f"setup_{enrollment.pk}-current_step": "waiver"}
    assert client_500.post(step_url(enrollment, "profile"), payload).status_code == 400
    assert any(r.name == "onboarding.security" and "tampered" in r.getMessage() for r in caplog.records)
    assert not PracticeProfile.objects.exists()
