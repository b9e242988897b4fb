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
    # Each enqueue gets a new token, passed to the task with the id: a task holding an older token (a duplicate,
    # or one superseded by a re-queue or a reaper) finds it changed and does nothing.
    queue_token = models.UUIDField(null=True, blank=True, editable=False)
    task_id = models.CharField(_("task id"), max_length=64, blank=True, editable=False)
    # A running load writes this every few seconds from a side thread; a load silent for longer than the lease
    # (EMR_LOAD_LEASE_SECONDS) belongs to a dead worker and is re-queued by `data_load_reap_stale`.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt after"), null=True, blank=True)
    last_error = models.CharField(_("last temporary error"), max_length=200, blank=True)
    rows_loaded = models.PositiveBigIntegerField(_("rows loaded"), default=0)
    # The export's file names in load order; a measure event's `file_no` indexes this list.
    source_files = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="running") | models.Q(started_at__isnull=False, queue_token__isnull=False),
                name="running_load_started",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["succeeded", "failed"]) | models.Q(finished_at__isnull=False),
                name="finished_load_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="failed") | ~models.Q(failure_reason=""), name="failed_load_says_why",
            ),
        ]

    def __str__(self):
        return f"data load of enrollment {self.enrollment_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        """Return whether the load is still queued or running (the dashboard then refreshes itself)."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent_done(self) -> int | None:
        """Return progress as a whole percentage, or None while the row total is unknown."""
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)


class RejectedRow(models.Model):
    """A row of the export that the load set aside, with where it is and why (only the first few per load are kept)."""

    data_load = models.ForeignKey(DataLoad, on_delete=models.CASCADE, related_name="rejected_rows")
    file_name = models.CharField(_("file"), max_length=255)
    line = models.PositiveIntegerField(_("line"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["file_name", "line"]

    def __str__(self):
        return f"{self.file_name}:{self.line}"


class MeasureEvent(models.Model):
    """One good row of an enrollment's export.

    The table is partitioned by enrollment (migration 0002): a load fills a fresh, index-free partition with COPY and
    swaps it for the old one in the transaction that records success, so a replace costs the same for 10 or 10 million
    rows and a failed load leaves the previous partition untouched. The primary key is the export's own rule: an
    (encounter_id, measure_id) pair appears at most once. There is deliberately no foreign-key constraint (a per-row
    check would double the load time): the partition bound ties rows to their enrollment, and deleting an
    enrollment deletes its events through Django's cascade. `file_no` (into DataLoad.source_files) and `line` say
    where each event came from.
    """

    pk = models.CompositePrimaryKey("enrollment", "encounter_id", "measure_id")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, db_constraint=False, related_name="+")
    file_no = models.PositiveSmallIntegerField()
    line = models.PositiveIntegerField()
    # Byte-order collation: these are codes, not words, and sorting them this way makes the key build twice as fast.
    encounter_id = models.CharField(max_length=64, db_collation="C")
    date_of_service = models.DateField()
    patient_id = models.CharField(max_length=64)
    clinician_npi = models.CharField(max_length=10)
    measure_id = models.CharField(max_length=20, db_collation="C")
    outcome = models.CharField(max_length=25)

    class Meta:
        db_table = "emr_measureevent"

    def __str__(self):
        return f"measure {self.measure_id} event of enrollment {self.enrollment_id}"


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
