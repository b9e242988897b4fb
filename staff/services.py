"""Writes of the staff review: recording staff reads, revealing a TIN, and (re)building the staff roles."""

import logging
import uuid

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from onboarding import crypto
from onboarding.models import TaxIdentifier
from practices.models import Enrollment
from staff.models import StaffAccess

logger = logging.getLogger("staff")

REVIEWER = "reviewer"
SUPPORT = "support"
# Reviewers see every model of these apps (set-up records and their history, practices, enrollments, data loads)...
REVIEWED_APPS = ("practices", "onboarding", "emr")
# ...and these single models; never accounts.User, EmailVerification or auth's Group and Permission.
REVIEWED_MODELS = ("accounts.designation",)
SUPPORT_ACTIONS = ("designate_administrator", "reopen_setup", "requeue_data_load", "export_setups")


def staff_access_record(*, user, enrollment: Enrollment, action: str, request_id: uuid.UUID | None) -> StaffAccess:
    """Record that a staff member read a set-up (the row can never be changed or deleted)."""
    return StaffAccess.objects.create(user=user, enrollment=enrollment, action=action, request_id=request_id)


def tin_reveal(*, user, enrollment: Enrollment, request_id: uuid.UUID | None) -> str | None:
    """Return the enrollment's full TIN (or None if none was entered), recording the reveal in the same transaction.

    The caller must have checked `staff.view_full_tin`; the record is written first so no reveal goes unrecorded.
    """
    with transaction.atomic():
        staff_access_record(user=user, enrollment=enrollment, action=StaffAccess.Action.TIN_REVEALED, request_id=request_id)
        token = TaxIdentifier.objects.filter(enrollment=enrollment).values_list("tin_encrypted", flat=True).first()
    if token is None:
        return None
    tin = crypto.tin_decrypt(token)
    logger.info("full TIN of enrollment %s revealed to staff user %s", enrollment.pk, user.pk)
    return tin


def _view_permissions() -> list[Permission]:
    labels = [model._meta.label_lower for app in REVIEWED_APPS for model in apps.get_app_config(app).get_models()]
    labels += list(REVIEWED_MODELS)
    wanted = {(label.split(".")[0], f"view_{label.split('.')[1]}") for label in labels}
    found = [p for p in Permission.objects.select_related("content_type").filter(codename__startswith="view_")
             if (p.content_type.app_label, p.codename) in wanted]
    if len(found) != len(wanted):
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        raise LookupError(f"permissions not created yet (run migrate): {sorted(missing)}")
    return found


def staff_roles_setup() -> dict[str, Group]:
    """Create or reset the *reviewer* (view only) and *support* (view and run the actions) groups."""
    views = _view_permissions()
    actions = list(Permission.objects.filter(content_type__app_label="staff", codename__in=SUPPORT_ACTIONS))
    if len(actions) != len(SUPPORT_ACTIONS):
        raise LookupError("staff permissions not created yet (run migrate)")
    with transaction.atomic():
        reviewer, _ = Group.objects.get_or_create(name=REVIEWER)
        reviewer.permissions.set(views)
        support, _ = Group.objects.get_or_create(name=SUPPORT)
        support.permissions.set(views + actions)
    return {REVIEWER: reviewer, SUPPORT: support}


def staff_roles_setup_after_migrate(sender, **kwargs) -> None:
    """Re-apply the staff roles after `migrate` (post_migrate receiver, sent once the staff app's permissions exist)."""
    try:
        staff_roles_setup()
    except LookupError as error:
        # A partial migrate (e.g. `migrate staff 0001`) can run before other apps' permissions exist.
        logger.warning("staff roles not set up: %s", error)
