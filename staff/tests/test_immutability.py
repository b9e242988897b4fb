"""A signed BAA or waiver cannot be changed or deleted by anyone, by any route; only voiding (once) is allowed."""

import pytest
from django.db import InternalError, connection, transaction
from django.urls import reverse

from onboarding.models import PracticeProfileEvent, Signature
from onboarding.services import signature_void
from staff.models import StaffAccess
from staff.tests.helpers import setup_in_status

pytestmark = pytest.mark.django_db
REFUSED_UPDATE = "pgtrigger: Cannot update rows"
REFUSED_DELETE = "pgtrigger: Cannot delete rows"


@pytest.fixture
def baa(administrator):
    enrollment = setup_in_status("submitted", administrator=administrator)
    return Signature.objects.get(enrollment=enrollment, document="baa")


def assert_unchanged(signature):
    stored = Signature.objects.get(pk=signature.pk)
    assert (stored.text, stored.signer_name, stored.voided_at) == (signature.text, signature.signer_name, signature.voided_at)
    assert stored.text_intact


def test_R9_admin_offers_no_form_and_refuses_change_and_delete_even_to_a_superuser(superuser_client, baa):
    change = reverse("admin:onboarding_signature_change", args=[baa.pk])
    page = superuser_client.get(change)
    assert page.status_code == 200
    assert 'name="signer_name"' not in page.content.decode() and 'name="_save"' not in page.content.decode()
    assert superuser_client.post(change, {"signer_name": "Mallory", "text": "forged"}).status_code == 403
    assert superuser_client.post(reverse("admin:onboarding_signature_delete", args=[baa.pk]), {"post": "yes"}).status_code == 403
    assert superuser_client.get(reverse("admin:onboarding_signature_add")).status_code == 403
    enrollment_change = reverse("admin:practices_enrollment_change", args=[baa.enrollment_id])
    assert superuser_client.post(enrollment_change, {"submitted_at": ""}).status_code == 403
    assert_unchanged(baa)


def test_R9_save_is_refused_by_the_database(baa):
    original = Signature.objects.get(pk=baa.pk)
    baa.signer_name = "Mallory"
    with pytest.raises(InternalError, match=REFUSED_UPDATE), transaction.atomic():
        baa.save()
    assert_unchanged(original)


def test_R9_queryset_update_is_refused_by_the_database(baa):
    with pytest.raises(InternalError, match=REFUSED_UPDATE), transaction.atomic():
        Signature.objects.filter(pk=baa.pk).update(text="forged", text_sha256=Signature.sha256_of("forged"))
    assert_unchanged(baa)


@pytest.mark.parametrize(("sql", "refusal"), [
    ("UPDATE onboarding_signature SET text = 'forged' WHERE id = %s", REFUSED_UPDATE),
    ("UPDATE onboarding_signature SET signed_at = signed_at - interval '1 day' WHERE id = %s", REFUSED_UPDATE),
    ("DELETE FROM onboarding_signature WHERE id = %s", REFUSED_DELETE),
])
def test_R9_raw_sql_update_and_delete_are_refused_by_the_database(baa, sql, refusal):
    with pytest.raises(InternalError, match=refusal), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [baa.pk])
    assert_unchanged(baa)


def test_R9_orm_delete_is_refused_by_the_database(baa):
    with pytest.raises(InternalError, match=REFUSED_DELETE), transaction.atomic():
        Signature.objects.filter(pk=baa.pk).delete()
    assert Signature.objects.filter(pk=baa.pk).exists()


def test_R9_voiding_sets_only_the_void_columns_and_only_once(baa):
    signature_void(signature=baa, reason="Practice asked to re-sign")
    stored = Signature.objects.get(pk=baa.pk)
    assert stored.voided_at is not None and stored.void_reason == "Practice asked to re-sign" and stored.text_intact
    with pytest.raises(InternalError, match=REFUSED_UPDATE), transaction.atomic():
        signature_void(signature=stored, reason="Voided again to rewrite the reason")
    with pytest.raises(InternalError, match=REFUSED_UPDATE), transaction.atomic():
        Signature.objects.filter(pk=baa.pk).update(voided_at=None, void_reason="")
    assert Signature.objects.get(pk=baa.pk).void_reason == "Practice asked to re-sign"


def test_R10_history_rows_cannot_be_changed_or_deleted(administrator):
    setup_in_status("in_progress", administrator=administrator)
    event = PracticeProfileEvent.objects.first()
    for sql in ("UPDATE onboarding_practiceprofileevent SET city = 'Elsewhere' WHERE pgh_id = %s",
                "DELETE FROM onboarding_practiceprofileevent WHERE pgh_id = %s"):
        with pytest.raises(InternalError, match="pgtrigger: Cannot"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pgh_id])
    assert PracticeProfileEvent.objects.get(pgh_id=event.pgh_id).city == "Phoenix"


def test_R10_staff_access_records_cannot_be_changed_or_deleted(superuser_client, administrator):
    enrollment = setup_in_status("signed_up", administrator=administrator)
    superuser_client.get(reverse("admin:practices_enrollment_change", args=[enrollment.pk]))
    access = StaffAccess.objects.get()
    with pytest.raises(InternalError, match="Cannot update or delete rows"), transaction.atomic():
        StaffAccess.objects.filter(pk=access.pk).update(action=StaffAccess.Action.TIN_REVEALED)
    with pytest.raises(InternalError, match="Cannot update or delete rows"), transaction.atomic():
        StaffAccess.objects.filter(pk=access.pk).delete()
    assert StaffAccess.objects.get().action == StaffAccess.Action.VIEWED
