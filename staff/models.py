"""Staff review: the append-only record of what staff read, and the permissions of the staff roles."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from practices.models import Enrollment


class StaffAccess(models.Model):
    """One staff read of a set-up (opening its page, revealing its TIN). Rows can be neither changed nor deleted."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Opened the set-up")
        TIN_REVEALED = "tin_revealed", _("Revealed the full TIN")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    request_id = models.UUIDField(_("request id"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff access")
        verbose_name_plural = _("staff accesses")
        ordering = ["-at"]
        indexes = [models.Index(fields=["enrollment", "-at"], name="staff_access_by_enrollment")]
        triggers = [
            pgtrigger.Protect(name="staff_access_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.get_action_display()} (enrollment {self.enrollment_id})"


class StaffPermission(models.Model):
    """No table: holds the permissions of the staff review that belong to no single model."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_full_tin", "Can reveal a practice's full TIN"),
            ("designate_administrator", "Can designate or re-invite a practice's administrator"),
            ("reopen_setup", "Can reopen a submitted set-up"),
            ("requeue_data_load", "Can re-queue a data load"),
            ("export_setups", "Can export set-ups as CSV"),
        ]
