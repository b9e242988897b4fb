"""Reviewers see everything and change nothing; support runs the actions; the full TIN needs its own permission."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Designation
from accounts.tests.mfa import verified_staff_client
from onboarding.models import Signature
from staff.models import StaffAccess
from staff.tests.conftest import staff_user
from staff.tests.helpers import staff_client, setup_in_status

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:practices_enrollment_changelist")


@pytest.fixture
def submitted(administrator):
    return setup_in_status("loaded", administrator=administrator)


def reveal_url(enrollment):
    return reverse("admin:practices_enrollment_reveal_tin", args=[enrollment.pk])


def test_Z5_setup_staff_roles_builds_view_only_reviewer_and_support_groups(db):
    call_command("setup_staff_roles")
    reviewer = set(Group.objects.get(name="reviewer").permissions.values_list("content_type__app_label", "codename"))
    support = set(Group.objects.get(name="support").permissions.values_list("content_type__app_label", "codename"))
    assert {("practices", "view_enrollment"), ("practices", "view_practice"), ("accounts", "view_designation"),
            ("onboarding", "view_signature"), ("onboarding", "view_taxidentifier"), ("emr", "view_dataload"),
            ("emr", "view_rejectedrow")} <= reviewer
    assert all(codename.startswith("view_") for _app, codename in reviewer)
    assert not {app for app, _codename in reviewer} & {"auth", "staff"}
    assert ("accounts", "view_user") not in reviewer
    assert support - reviewer == {("staff", "designate_administrator"), ("staff", "reopen_setup"),
                                  ("staff", "requeue_data_load"), ("staff", "export_setups")}
    assert ("staff", "view_full_tin") not in support


def test_Z5_reviewer_can_list_and_read_a_set_up(reviewer_client, submitted):
    assert reviewer_client.get(CHANGELIST).status_code == 200
    page = reviewer_client.get(reverse("admin:practices_enrollment_change", args=[submitted.pk]))
    assert page.status_code == 200 and "**-***4567" in page.content.decode()
    for name in ("practices_practice_changelist", "accounts_designation_changelist", "onboarding_signature_changelist"):
        assert reviewer_client.get(reverse(f"admin:{name}")).status_code == 200


def test_Z5_reviewer_changes_nothing(reviewer_client, submitted):
    designation = Designation.objects.get(practice=submitted.practice)
    signature = Signature.objects.filter(enrollment=submitted).first()
    forbidden = [
        ("post", reverse("admin:practices_enrollment_change", args=[submitted.pk]), {"submitted_at": ""}),
        ("get", reverse("admin:practices_enrollment_add"), {}),
        ("get", reverse("admin:practices_enrollment_delete", args=[submitted.pk]), {}),
        ("post", reverse("admin:practices_practice_change", args=[submitted.practice_id]), {"name": "Renamed"}),
        ("get", reverse("admin:practices_practice_add"), {}),
        ("post", reverse("admin:accounts_designation_change", args=[designation.pk]), {"email": "x@example.com"}),
        ("post", reverse("admin:onboarding_signature_change", args=[signature.pk]), {"signer_name": "Mallory"}),
    ]
    for method, url, data in forbidden:
        assert getattr(reviewer_client, method)(url, data).status_code == 403, url
    page = reviewer_client.get(reverse("admin:practices_enrollment_change", args=[submitted.pk])).content.decode()
    assert 'name="action"' not in page and 'name="_save"' not in page


@pytest.mark.parametrize("action", ["designate_administrator", "resend_invitation", "reopen_setups", "requeue_data_loads", "export_csv"])
def test_Z5_reviewer_gets_403_for_every_action(reviewer_client, submitted, action, mailoutbox):
    response = reviewer_client.post(CHANGELIST, {"action": action, "_selected_action": [submitted.pk], "index": "0",
                                                 "apply": "1", "reason": "x", "email": "x@example.com"})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.submitted_at is not None and mailoutbox == []


@pytest.mark.parametrize("name", ["accounts_user_changelist", "accounts_user_add", "auth_group_changelist", "auth_group_add"])
def test_Z5_reviewer_has_no_access_to_users_groups_or_permissions(reviewer_client, name):
    assert reviewer_client.get(reverse(f"admin:{name}")).status_code == 403


def test_Z5_support_can_run_actions_but_not_edit_or_see_users(support_client, submitted):
    changelist = support_client.get(CHANGELIST)
    assert set(changelist.context["action_form"].fields["action"].choices[1:]) >= {
        ("reopen_setups", "Reopen the submitted set-up (voids its waiver)"), ("export_csv", "Export as CSV (TIN masked)")}
    assert support_client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert support_client.post(reverse("admin:practices_enrollment_change", args=[submitted.pk]), {}).status_code == 403


def test_Z5_full_tin_is_hidden_without_the_permission(reviewer_client, support_client, submitted):
    for client in (reviewer_client, support_client):
        page = client.get(reverse("admin:practices_enrollment_change", args=[submitted.pk])).content.decode()
        assert "Reveal TIN" not in page and "461234567" not in page and "46-1234567" not in page
        assert client.post(reveal_url(submitted)).status_code == 403
    assert not StaffAccess.objects.filter(action=StaffAccess.Action.TIN_REVEALED).exists()


def test_Z6_reveal_shows_the_full_tin_and_records_who_when_and_which_set_up(tin_viewer, submitted):
    client = staff_client(tin_viewer)
    page = client.get(reverse("admin:practices_enrollment_change", args=[submitted.pk])).content.decode()
    assert "Reveal TIN" in page and "461234567" not in page
    assert client.get(reveal_url(submitted)).status_code == 405  # never on a GET: a link or prefetch must not reveal it
    response = client.post(reveal_url(submitted))
    assert response.status_code == 200 and "461234567" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    reveal = StaffAccess.objects.get(action=StaffAccess.Action.TIN_REVEALED)
    assert (reveal.user, reveal.enrollment) == (tin_viewer, submitted)
    assert reveal.at is not None and str(reveal.request_id) == response["X-Request-ID"]


def test_D6_reveal_needs_the_csrf_token(tin_viewer, submitted):
    from django.test import Client

    client = verified_staff_client(tin_viewer, Client(enforce_csrf_checks=True))
    assert client.post(reveal_url(submitted)).status_code == 403
    assert not StaffAccess.objects.filter(action=StaffAccess.Action.TIN_REVEALED).exists()


def test_a_superuser_may_reveal(superuser_client, submitted):
    assert "461234567" in superuser_client.post(reveal_url(submitted)).content.decode()


def test_Z5_view_full_tin_permission_alone_is_not_enough_without_view_access(roles, submitted):
    client = staff_client(staff_user("tin-only@webpt.example", permissions=["staff.view_full_tin"]))
    assert client.post(reveal_url(submitted)).status_code == 403


def test_migrate_sets_up_the_roles_without_the_command(db):
    """post_migrate (sent when the test database was migrated, and after every flush) applied the roles."""
    assert set(Group.objects.filter(name__in=["reviewer", "support"]).values_list("name", flat=True)) == {"reviewer", "support"}
    assert Group.objects.get(name="support").permissions.filter(codename="reopen_setup").exists()
