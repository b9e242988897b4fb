"""Practices, performance years and enrollments (a practice in a year)."""

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext_lazy as _


class PerformanceYear(models.Model):
    """A MIPS performance year; a row, so later years need no code change."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    is_open = models.BooleanField(_("open for set-up"), default=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=models.Q(year__gte=2017), name="performance_year_from_2017")]

    def __str__(self):
        return str(self.year)

    @property
    def starts_on(self) -> datetime.date:
        """Return the first day of the year."""
        return datetime.date(self.year, 1, 1)

    @property
    def ends_on(self) -> datetime.date:
        """Return the last day of the year."""
        return datetime.date(self.year, 12, 31)


class Practice(models.Model):
    """A group that reports to CMS under one TIN."""

    name = models.CharField(_("practice name"), max_length=200)
    top_level_admin_email = models.EmailField(
        _("top-level administrator email"),
        help_text=_("WebPT's address, shown read-only to the practice as its administrator email."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(Lower("name"), name="practice_name_lower"),
            # Staff search practices by any part of the name (icontains = UPPER(name) LIKE '%...%'): a trigram index.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="practice_name_trgm"),
        ]

    def __str__(self):
        return self.name


class Enrollment(models.Model):
    """One practice in one performance year: every set-up record hangs off it."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="enrollments")
    year = models.ForeignKey(PerformanceYear, on_delete=models.PROTECT, related_name="enrollments")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year__year", "practice__name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "year"], name="one_enrollment_per_practice_year"),
            models.CheckConstraint(
                condition=models.Q(submitted_at__isnull=True) | models.Q(submitted_by__isnull=False),
                name="submission_has_submitter",
            ),
        ]

    def __str__(self):
        return f"{self.practice.name} — {self.year.year}"

    @property
    def is_submitted(self) -> bool:
        """Return whether the set-up has been submitted (and is read-only to the practice)."""
        return self.submitted_at is not None
