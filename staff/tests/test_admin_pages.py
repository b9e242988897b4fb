import pytest
from django.urls import reverse
from django.utils import timezone

from emr.models import DataLoad, RejectedRow
from onboarding.models import Signature
from onboarding.services import onboarding_reopen
from staff.models import StaffAccess
from staff.selectors import SetupStatus
from staff.tests.helpers import data_load_set, setup_in_status

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:practices_enrollment_changelist")


def change_url(enrollment):
    return reverse("admin:practices_enrollment_change", args=[enrollment.pk])


@pytest.mark.parametrize("status", SetupStatus.values)
def test_changelist_and_change_page_render_for_each_status(superuser_client, administrator, status):
    enrollment = setup_in_status(status, administrator=administrator)
    listing = superuser_client.get(CHANGELIST)
    assert listing.status_code == 200
    assert [row.setup_status for row in listing.context["cl"].result_list] == [status]
    page = superuser_client.get(change_url(enrollment))
    assert page.status_code == 200
    assert page.context["status_label"].startswith(str(SetupStatus(status).label))


def test_in_progress_status_names_the_step_reached(superuser_client, administrator):
    setup_in_status("in_progress", administrator=administrator)
    assert "In progress, step 4 of 7: Exemptions" in superuser_client.get(CHANGELIST).content.decode()


def test_D1_changelist_shows_exemptions_masked_tin_and_times(superuser_client, administrator):
    enrollment = setup_in_status("loaded", administrator=administrator)
    row = superuser_client.get(CHANGELIST).context["cl"].result_list[0]
    assert (row.is_small, row.pi_exempt, row.cost_exempt) == (True, True, True)
    assert row.submitted_at == enrollment.submitted_at and row.loaded_at == DataLoad.objects.get(enrollment=enrollment).finished_at
    content = superuser_client.get(CHANGELIST).content.decode()
    assert "**-***4567" in content and "461234567" not in content and "46-1234567" not in content


def test_change_page_shows_every_step_answer_read_only(superuser_client, administrator):
    enrollment = setup_in_status("submitted", administrator=administrator)
    page = superuser_client.get(change_url(enrollment))
    content = page.content.decode()
    assert [step.title for step in page.context["answers"]] == [
        "Practice profile", "Small practice", "PI exemption survey", "Exemptions", "TIN / EIN"]
    assert all(step.saved for step in page.context["answers"])
    assert "Phoenix" in content and "1234567893" in content and "**-***4567" in content
    assert 'name="city"' not in content and 'name="_save"' not in content
    assert "461234567" not in content and "46-1234567" not in content


def test_R11_change_page_shows_both_signatures_with_evidence_and_intact_text(superuser_client, administrator):
    enrollment = setup_in_status("submitted", administrator=administrator)
    page = superuser_client.get(change_url(enrollment))
    signatures = page.context["signatures"]
    assert sorted(s.document for s in signatures) == ["baa", "waiver"]
    content = page.content.decode()
    for signature in signatures:
        assert signature.text_sha256 in content
    assert content.count("Yes: the stored text is the text signed") == 2
    assert "127.0.0.1" in content and "ada@sunrise-pt.example" in content


def test_R11_change_page_flags_a_signature_whose_text_no_longer_matches_its_hash(superuser_client, administrator):
    enrollment = setup_in_status("signed_up", administrator=administrator)
    Signature.objects.create(
        enrollment=enrollment, document="baa", version="2021.1", text="text as stored", text_sha256=Signature.sha256_of("text as signed"),
        signer_name="Ada Lovelace", consent=True, covers={}, user=administrator, signed_at=timezone.now())
    content = superuser_client.get(change_url(enrollment)).content.decode()
    assert "NO: the stored text does not match its hash" in content


def test_change_page_lists_voided_signatures_with_their_reason(superuser_client, administrator):
    enrollment = setup_in_status("submitted", administrator=administrator)
    onboarding_reopen(enrollment=enrollment, reason="TIN typo reported by phone")
    content = superuser_client.get(change_url(enrollment)).content.decode()
    assert "voided" in content and "Set-up reopened: TIN typo reported by phone" in content


def test_change_page_shows_data_load_status_and_bad_row_report(superuser_client, administrator):
    enrollment = setup_in_status("submitted", administrator=administrator)
    load = data_load_set(enrollment, DataLoad.Status.SUCCEEDED, bad_rows=2)
    RejectedRow.objects.bulk_create([
        RejectedRow(data_load=load, file_name="export-1.csv", line=17, reason="clinician_npi fails the check digit"),
        RejectedRow(data_load=load, file_name="export-1.csv", line=42, reason="date_of_service outside 2021"),
    ])
    page = superuser_client.get(change_url(enrollment))
    content = page.content.decode()
    assert "Succeeded" in content and "clinician_npi fails the check digit" in content and "export-1.csv" in content
    assert [row.line for row in page.context["rejected_rows"]] == [17, 42]


def test_Z6_opening_a_set_up_is_recorded(superuser_client, superuser, administrator):
    enrollment = setup_in_status("signed_up", administrator=administrator)
    response = superuser_client.get(change_url(enrollment))
    access = StaffAccess.objects.get()
    assert (access.user, access.enrollment, access.action) == (superuser, enrollment, StaffAccess.Action.VIEWED)
    assert str(access.request_id) == response["X-Request-ID"]


def test_Z4_non_staff_administrator_cannot_reach_admin(administrator, client):
    client.force_login(administrator)
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
