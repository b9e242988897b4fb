"""CMS's measures, activities and benchmarks for a year (loaded from qpp-measures-data), the year's scoring rules,
and what a practice chose: the quality measures it reports and the improvement activities it attests.

Nothing about a measure, an activity, a decile or a scoring number is typed into code: `load_qpp_data` fills these
tables from the npm package and from `scores/rules/scoring_years.json`.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from practices.models import Enrollment, PerformanceYear


class QualityMeasure(models.Model):
    """A quality measure of a year's inventory that can be reported by a registry (MIPS CQM or QCDR measure)."""

    year = models.ForeignKey(PerformanceYear, on_delete=models.PROTECT, related_name="+")
    measure_id = models.CharField(_("measure ID"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    measure_type = models.CharField(_("measure type"), max_length=40)
    metric_type = models.CharField(_("metric type"), max_length=40)
    is_high_priority = models.BooleanField(_("high priority"))
    is_inverse = models.BooleanField(_("inverse (lower is better)"))
    measure_sets = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    submission_methods = ArrayField(models.CharField(max_length=40), default=list)
    strata = ArrayField(models.CharField(max_length=80), default=list, blank=True)

    class Meta:
        ordering = ["year", "measure_id"]
        constraints = [models.UniqueConstraint(fields=["year", "measure_id"], name="one_quality_measure_per_year")]

    def __str__(self):
        return f"{self.measure_id} {self.title}"


class Benchmark(models.Model):
    """A measure's registry benchmark: 9 inclusive lower bounds of deciles 2–10 (10 bounds for non-proportion measures)."""

    measure = models.OneToOneField(QualityMeasure, on_delete=models.CASCADE, related_name="benchmark")
    submission_method = models.CharField(max_length=40)
    benchmark_year = models.PositiveSmallIntegerField(_("benchmark year"))
    deciles = ArrayField(models.DecimalField(max_digits=9, decimal_places=4))
    is_topped_out = models.BooleanField(_("topped out"))
    is_topped_out_by_program = models.BooleanField(_("topped out by program (points capped)"))

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(deciles__len__in=[9, 10]), name="benchmark_9_or_10_deciles")]

    def __str__(self):
        return f"{self.submission_method} benchmark of {self.measure.measure_id} ({self.benchmark_year})"


class ImprovementActivity(models.Model):
    """An activity of a year's improvement-activity inventory."""

    class Weight(models.TextChoices):
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    year = models.ForeignKey(PerformanceYear, on_delete=models.PROTECT, related_name="+")
    activity_id = models.CharField(_("activity ID"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    # Blank in CMS's data for the one activity that earns full credit on its own (the medical-home attestation).
    weight = models.CharField(_("weight"), max_length=10, choices=Weight.choices, blank=True)
    subcategory = models.CharField(_("subcategory"), max_length=80, blank=True)

    class Meta:
        ordering = ["year", "activity_id"]
        verbose_name_plural = "improvement activities"
        constraints = [models.UniqueConstraint(fields=["year", "activity_id"], name="one_activity_per_year")]

    def __str__(self):
        return f"{self.activity_id} {self.title}"


class ScoringYear(models.Model):
    """The scoring rules of one performance year, as data (`scores/rules/scoring_years.json`)."""

    year = models.OneToOneField(PerformanceYear, on_delete=models.PROTECT, related_name="scoring")
    source = models.CharField(max_length=300, blank=True)
    cost_reweighted_for_all = models.BooleanField(_("Cost reweighted to 0 for everyone"))
    performance_threshold = models.DecimalField(max_digits=5, decimal_places=2)
    exceptional_threshold = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    max_penalty_score = models.DecimalField(_("highest score with the full negative adjustment"), max_digits=5, decimal_places=2)
    max_adjustment_percent = models.DecimalField(max_digits=4, decimal_places=2)
    data_completeness_percent = models.DecimalField(max_digits=5, decimal_places=2)
    case_minimum = models.PositiveSmallIntegerField()
    scored_measure_count = models.PositiveSmallIntegerField()
    quality_denominator = models.PositiveSmallIntegerField()
    decile_floor_points = models.DecimalField(max_digits=4, decimal_places=2)
    low_case_points = models.DecimalField(_("points with no benchmark or too few cases"), max_digits=4, decimal_places=2)
    low_case_points_small = models.DecimalField(max_digits=4, decimal_places=2)
    completeness_miss_points = models.DecimalField(max_digits=4, decimal_places=2)
    completeness_miss_points_small = models.DecimalField(max_digits=4, decimal_places=2)
    topped_out_cap = models.DecimalField(max_digits=4, decimal_places=2)
    small_practice_bonus = models.DecimalField(max_digits=4, decimal_places=2)
    bonus_cap = models.DecimalField(max_digits=4, decimal_places=2)
    outcome_bonus = models.PositiveSmallIntegerField()
    high_priority_bonus = models.PositiveSmallIntegerField()
    outcome_measure_types = ArrayField(models.CharField(max_length=40))
    two_point_bonus_measure_types = ArrayField(models.CharField(max_length=40))
    ia_medium_points = models.PositiveSmallIntegerField()
    ia_high_points = models.PositiveSmallIntegerField()
    ia_special_status_multiplier = models.PositiveSmallIntegerField()
    ia_max_points = models.PositiveSmallIntegerField()
    ia_min_days = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_penalty_score__lt=models.F("performance_threshold"), performance_threshold__lt=100),
                name="scoring_thresholds_ordered",
            ),
            models.CheckConstraint(condition=models.Q(quality_denominator__gt=0, ia_max_points__gt=0), name="scoring_denominators_positive"),
        ]

    def __str__(self):
        return f"scoring rules {self.year_id}"


class CategoryWeights(models.Model):
    """One row of a year's reweighting table: which categories are reweighted to 0, and the resulting weights (%)."""

    scoring_year = models.ForeignKey(ScoringYear, on_delete=models.CASCADE, related_name="weights")
    quality_reweighted = models.BooleanField(default=False)
    cost_reweighted = models.BooleanField(default=False)
    ia_reweighted = models.BooleanField(default=False)
    pi_reweighted = models.BooleanField(default=False)
    # None: any practice size; True/False: a redistribution only for small (or other) practices (from 2022).
    small_practice = models.BooleanField(null=True, blank=True)
    quality = models.PositiveSmallIntegerField()
    cost = models.PositiveSmallIntegerField()
    ia = models.PositiveSmallIntegerField()
    pi = models.PositiveSmallIntegerField()
    verified = models.BooleanField(help_text=_("False for rows domain.md marks as unsure."))
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "category weights"
        constraints = [
            models.UniqueConstraint(
                fields=["scoring_year", "quality_reweighted", "cost_reweighted", "ia_reweighted", "pi_reweighted", "small_practice"],
                nulls_distinct=False, name="one_weights_row_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(quality=models.Value(100) - models.F("cost") - models.F("ia") - models.F("pi")),
                name="weights_add_up_to_100",
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{c}_reweighted": False}) | models.Q(**{c: 0}), name=f"reweighted_{c}_weighs_0"
                )
                for c in ("quality", "cost", "ia", "pi")
            ),
        ]

    def __str__(self):
        return f"{self.scoring_year.year_id}: Q{self.quality} C{self.cost} IA{self.ia} PI{self.pi}"


class MeasureSelection(models.Model):
    """A quality measure the practice administrator chose to report. No rows: every measure with loaded data counts."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="measure_selections")
    measure = models.ForeignKey(QualityMeasure, on_delete=models.PROTECT, related_name="selections")
    selected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure__measure_id"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "measure"], name="one_selection_per_measure")]

    def __str__(self):
        return f"measure {self.measure.measure_id} chosen for enrollment {self.enrollment_id}"


class ActivityAttestation(models.Model):
    """An improvement activity the practice attests it performed for at least the year's minimum consecutive days."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="activity_attestations")
    activity = models.ForeignKey(ImprovementActivity, on_delete=models.PROTECT, related_name="attestations")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    group_participation = models.BooleanField(
        _("at least 50 % of the group's clinicians performed this activity during this period"), default=False
    )
    attested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attested_at = models.DateTimeField()

    class Meta:
        ordering = ["activity__activity_id"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "activity"], name="one_attestation_per_activity"),
            # 90 consecutive days is the floor in every year so far; the year's own minimum is checked in clean().
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date") + datetime.timedelta(days=89)),
                name="attestation_at_least_90_days",
            ),
        ]

    def __str__(self):
        return f"{self.activity.activity_id} attested for enrollment {self.enrollment_id}"

    @property
    def days(self) -> int:
        """Return the number of days in the period, both ends included."""
        return (self.end_date - self.start_date).days + 1

    def clean(self):
        """Check the period lies inside the performance year and is long enough (field errors for the form)."""
        super().clean()
        if not (self.start_date and self.end_date and self.enrollment_id):
            return
        year = self.enrollment.year
        errors = {}
        if self.activity_id and self.activity.year_id != year.pk:
            errors["activity"] = ValidationError(_("Choose an activity of the %(year)s inventory."), code="other_year",
                                                 params={"year": year.year})
        if not year.starts_on <= self.start_date <= year.ends_on:
            errors["start_date"] = ValidationError(
                _("Enter a start date in %(year)s."), code="start_outside_year", params={"year": year.year}
            )
        if not year.starts_on <= self.end_date <= year.ends_on:
            errors["end_date"] = ValidationError(
                _("Enter an end date in %(year)s."), code="end_outside_year", params={"year": year.year}
            )
        elif self.end_date < self.start_date:
            errors["end_date"] = ValidationError(_("The end date must be after the start date."), code="end_before_start")
        else:
            scoring = getattr(year, "scoring", None)
            min_days = scoring.ia_min_days if scoring else 90
            if self.days < min_days:
                errors["end_date"] = ValidationError(
                    _("The activity must run for at least %(min)s consecutive days; this period has %(days)s."),
                    code="too_short", params={"min": min_days, "days": self.days},
                )
        if errors:
            raise ValidationError(errors)


class SubmissionFile(Enrollment):
    """An enrollment seen by staff as its QPP submission file (admin download)."""

    class Meta:
        proxy = True
        verbose_name = "QPP submission file"

