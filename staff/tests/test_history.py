"""Every change to set-up records is kept (pghistory triggers) with who, when and which request, the TIN masked."""

import pytest
from django.db import connection
from django.urls import reverse

from onboarding.models import (
    ExemptionsEvent,
    PiSurveyEvent,
    PracticeProfile,
    PracticeProfileEvent,
    SignatureEvent,
    SmallPracticeEvent,
    TaxIdentifierEvent,
)
from onboarding.tests.helpers import PROFILE, wizard_post
from staff.selectors import setup_history
from staff.tests.helpers import setup_in_status, setup_walk

pytestmark = pytest.mark.django_db


def history_lines(enrollment):
    return [(e.who, e.record, e.event, change) for e in setup_history(enrollment) for change in e.changes]


def test_R10_each_step_saved_in_the_wizard_is_kept_with_who_when_and_request(administrator):
    enrollment = setup_in_status("in_progress", administrator=administrator, upto="tin")
    for event_model in (PracticeProfileEvent, SmallPracticeEvent, PiSurveyEvent, ExemptionsEvent, TaxIdentifierEvent):
        event = event_model.objects.filter(enrollment=enrollment).order_by("pgh_id").first()
        assert event.pgh_label == "insert" and event.pgh_created_at is not None
        assert event.pgh_context.metadata["user"] == administrator.pk
        assert event.pgh_context.metadata["request_id"] and event.pgh_context.metadata["url"].endswith("/")
    # The survey was saved, then continued with the follow-up answer: an insert and an update.
    assert list(PiSurveyEvent.objects.filter(enrollment=enrollment).values_list("pgh_label", flat=True)) == ["insert", "update"]


def test_R10_a_changed_answer_is_kept_as_old_and_new_value(administrator):
    enrollment = setup_in_status("in_progress", administrator=administrator, upto="small_practice")
    client = setup_walk(enrollment, "profile", administrator=administrator)  # signed in as the administrator
    assert wizard_post(client, enrollment, "profile", PROFILE | {"city": "Tucson"}).status_code == 302
    assert PracticeProfile.objects.get(enrollment=enrollment).city == "Tucson"
    assert ("ada@sunrise-pt.example", "practice profile", "changed", ("City", "Phoenix", "Tucson")) in history_lines(enrollment)


def test_R10_tin_history_keeps_only_type_and_masked_last_four(superuser_client, administrator):
    stored = {f.name for f in TaxIdentifierEvent._meta.get_fields()}
    assert "tin_encrypted" not in stored and "tin_index" not in stored and "tin_last4" in stored
    enrollment = setup_in_status("in_progress", administrator=administrator, upto="tin")
    client = setup_walk(enrollment, "profile", administrator=administrator)
    tin = {"tin_type": "ein", "tin": "47-7654321", "tin_confirm": "47-7654321"}
    assert wizard_post(client, enrollment, "tin", tin).status_code == 302
    assert ("ada@sunrise-pt.example", "TIN", "changed", ("TIN last four", "**-***4567", "**-***4321")) in history_lines(enrollment)
    content = superuser_client.get(reverse("admin:practices_enrollment_change", args=[enrollment.pk])).content.decode()
    assert "**-***4321" in content and "7654321" not in content and "1234567" not in content.replace("1234567893", "")


def test_R10_signing_and_reopening_are_kept_with_who_did_them(support_client, support, administrator):
    enrollment = setup_in_status("submitted", administrator=administrator)
    inserts = SignatureEvent.objects.filter(enrollment=enrollment, pgh_label="insert")
    assert sorted(inserts.values_list("document", flat=True)) == ["baa", "waiver"]
    assert {e.pgh_context.metadata["user"] for e in inserts} == {administrator.pk}
    response = support_client.post(reverse("admin:practices_enrollment_changelist"), {
        "action": "reopen_setups", "_selected_action": [enrollment.pk], "apply": "1", "reason": "Wrong specialty"})
    assert response.status_code == 302
    void = SignatureEvent.objects.get(enrollment=enrollment, pgh_label="update")
    assert void.document == "waiver" and void.void_reason == "Set-up reopened: Wrong specialty"
    assert void.pgh_context.metadata["user"] == support.pk
    lines = history_lines(enrollment)
    assert ("support@webpt.example", "signature", "changed", ("Void reason", "—", "Set-up reopened: Wrong specialty")) in lines


def forget_last_request_context():
    """The test runs in one transaction, where the last request's transaction-local pghistory context would linger
    (in production every request's context ends with its transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pghistory.context_id', '', true), set_config('pghistory.context_metadata', '', true)")


def test_R10_a_change_made_outside_any_request_is_kept_as_system(administrator):
    enrollment = setup_in_status("in_progress", administrator=administrator, upto="small_practice")
    forget_last_request_context()
    PracticeProfile.objects.filter(enrollment=enrollment).update(city="Flagstaff")
    assert ("system", "practice profile", "changed", ("City", "Phoenix", "Flagstaff")) in history_lines(enrollment)


def test_R10_set_up_page_shows_the_history(superuser_client, administrator):
    enrollment = setup_in_status("in_progress", administrator=administrator, upto="small_practice")
    PracticeProfile.objects.filter(enrollment=enrollment).update(city="Flagstaff")
    page = superuser_client.get(reverse("admin:practices_enrollment_change", args=[enrollment.pk]))
    assert len(page.context["history"]) == 3  # profile created, small practice created, profile changed
    assert "Phoenix → Flagstaff" in page.content.decode()
