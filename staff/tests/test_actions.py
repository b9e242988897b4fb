"""Each staff action runs the same service the portal uses, and only for staff allowed to run it."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import Designation
from emr.models import DataLoad
from onboarding.models import Signature
from staff.tests.helpers import setup_in_status

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:practices_enrollment_changelist")


def run_action(client, action, enrollments, **form):
    """POST an action for the selected set-ups, as the changelist (or its intermediate page, with `apply`) does."""
    return client.post(CHANGELIST, {"action": action, "_selected_action": [e.pk for e in enrollments], **form})


def messages_of(client):
    response = client.get(CHANGELIST)
    return [str(m) for m in response.context["messages"]]


def test_designate_asks_for_the_email_then_designates_and_sends_the_invitation(support_client, administrator, mailoutbox):
    enrollment = setup_in_status("not_invited", administrator=administrator)
    page = run_action(support_client, "designate_administrator", [enrollment])
    assert page.status_code == 200 and 'name="email"' in page.content.decode() and mailoutbox == []
    response = run_action(support_client, "designate_administrator", [enrollment], apply="1", email="New.Admin@Example.com")
    assert response.status_code == 302
    designation = Designation.objects.get(practice=enrollment.practice)
    assert designation.email == "new.admin@example.com" and designation.invited_at is not None
    assert [m.to for m in mailoutbox] == [["new.admin@example.com"]]
    assert LogEntry.objects.get().get_change_message() == "Designated administrator new.admin@example.com"


def test_designate_refuses_an_invalid_email_and_several_set_ups_at_once(support_client, administrator, mailoutbox):
    first = setup_in_status("not_invited", administrator=administrator, name="First PT")
    second = setup_in_status("not_invited", administrator=administrator, name="Second PT")
    invalid = run_action(support_client, "designate_administrator", [first], apply="1", email="not an address")
    assert invalid.status_code == 200 and "Enter a valid email address." in invalid.content.decode()
    several = run_action(support_client, "designate_administrator", [first, second], apply="1", email="a@example.com")
    assert several.status_code == 302 and "Designate one set-up at a time." in messages_of(support_client)
    assert not Designation.objects.exists() and mailoutbox == []


def test_resend_invitation_emails_the_designated_address_again(support_client, administrator, mailoutbox):
    invited = setup_in_status("invited", administrator=administrator, name="Invited PT")
    nobody = setup_in_status("not_invited", administrator=administrator, name="Nobody PT")
    assert run_action(support_client, "resend_invitation", [invited, nobody]).status_code == 302
    assert [m.to for m in mailoutbox] == [["invited@sunrise-pt.example"]]
    assert Designation.objects.get(practice=invited.practice).invited_at is not None
    assert "Nobody PT — 2021 has no administrator yet: designate one." in messages_of(support_client)


def test_reopen_asks_for_a_reason_then_reopens_and_voids_the_waiver(support_client, administrator):
    submitted = setup_in_status("loaded", administrator=administrator, name="Submitted PT")
    page = run_action(support_client, "reopen_setups", [submitted])
    assert page.status_code == 200 and "Submitted PT" in page.content.decode()
    missing_reason = run_action(support_client, "reopen_setups", [submitted], apply="1", reason="")
    assert missing_reason.status_code == 200
    submitted.refresh_from_db()
    assert submitted.submitted_at is not None
    assert run_action(support_client, "reopen_setups", [submitted], apply="1", reason="Wrong TIN").status_code == 302
    submitted.refresh_from_db()
    assert submitted.submitted_at is None
    waiver = Signature.objects.get(enrollment=submitted, document="waiver")
    assert waiver.voided_at is not None and waiver.void_reason == "Set-up reopened: Wrong TIN"
    assert Signature.objects.get(enrollment=submitted, document="baa").voided_at is None
    assert LogEntry.objects.get().get_change_message() == "Reopened: Wrong TIN"


def test_reopen_leaves_set_ups_not_submitted_alone(support_client, administrator):
    progressing = setup_in_status("in_progress", administrator=administrator, upto="baa")
    assert run_action(support_client, "reopen_setups", [progressing], apply="1", reason="x").status_code == 302
    assert Signature.objects.get(enrollment=progressing).voided_at is None and not LogEntry.objects.exists()


def test_requeue_queues_the_data_load_again_through_the_emr_service(support_client, administrator):
    failed = setup_in_status("load_failed", administrator=administrator, name="Failed PT")
    tasks_before = DBTaskResult.objects.count()
    assert run_action(support_client, "requeue_data_loads", [failed]).status_code == 302
    load = DataLoad.objects.get(enrollment=failed)
    assert load.status == DataLoad.Status.QUEUED and load.failure_reason == "" and load.attempts == 0
    assert DBTaskResult.objects.count() == tasks_before + 1
    assert LogEntry.objects.get().get_change_message() == "Re-queued the data load"


def test_requeue_explains_why_a_set_up_not_submitted_cannot_be_loaded(support_client, administrator):
    progressing = setup_in_status("in_progress", administrator=administrator, name="Early PT")
    assert run_action(support_client, "requeue_data_loads", [progressing]).status_code == 302
    assert not DataLoad.objects.filter(enrollment=progressing).exists()
    assert any("has not been submitted" in m for m in messages_of(support_client))


def test_set_up_page_offers_the_actions_to_support(support_client, administrator):
    enrollment = setup_in_status("loaded", administrator=administrator)
    content = support_client.get(reverse("admin:practices_enrollment_change", args=[enrollment.pk])).content.decode()
    for action in ("designate_administrator", "resend_invitation", "reopen_setups", "requeue_data_loads"):
        assert f'value="{action}"' in content
