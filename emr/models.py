"""The EMR data load of an enrollment: its status and progress, and the per-measure aggregates it produced."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from practices.models import Enrollment


class DataLoad(models.Model):
    """The (one) data load of an enrollment; re-running it replaces its data."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="data_load")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    rows_total = models.PositiveBigIntegerField(null=True, blank=True)
    rows_done = models.PositiveBigIntegerField(default=0)
    bad_rows = models.PositiveBigIntegerField(default=0)
    failure_reason = models.CharField(max_length=500, blank=True)
    queued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"data load of enrollment {self.enrollment_id} ({self.status})"


class MeasureAggregate(models.Model):
    """Counts of one quality measure for an enrollment, as computed by its last successful load."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="measure_aggregates")
    measure_id = models.CharField(max_length=20)
    eligible_population = models.PositiveIntegerField()
    performance_met = models.PositiveIntegerField()
    performance_not_met = models.PositiveIntegerField()
    exclusions = models.PositiveIntegerField()
    exceptions = models.PositiveIntegerField()
    not_reported = models.PositiveIntegerField()
    first_service_date = models.DateField(null=True)
    last_service_date = models.DateField(null=True)

    class Meta:
        ordering = ["measure_id"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "measure_id"], name="one_aggregate_per_measure"),
            models.CheckConstraint(
                condition=models.Q(eligible_population=models.F("performance_met") + models.F("performance_not_met")
                                   + models.F("exclusions") + models.F("exceptions") + models.F("not_reported")),
                name="aggregate_counts_add_up",
            ),
        ]

    def __str__(self):
        return f"measure {self.measure_id} of enrollment {self.enrollment_id}"

    @property
    def performance_rate(self) -> float | None:
        """Return met ÷ (met + not met), or None when there is nothing to rate."""
        rated = self.performance_met + self.performance_not_met
        return self.performance_met / rated if rated else None

    @property
    def reporting_rate(self) -> float | None:
        """Return data completeness: (met + not met + exclusions + exceptions) ÷ eligible population."""
        if not self.eligible_population:
            return None
        return (self.eligible_population - self.not_reported) / self.eligible_population
