"""MIPS scoring of an enrollment (current and projected), the administrator's measure and activity choices, and the
QPP submission file.

The scoring functions are pure: they take measures, counts and the year's rules (`ScoringYear`, loaded from
`scores/rules/scoring_years.json`) and return numbers, so every rule can be tested on its own. Rates and percentages
are `Decimal` percent (70 means 70 %), so a rate that sits exactly on a CMS decile bound compares equal to it.
"""

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from emr.models import MeasureAggregate
from onboarding.crypto import tin_decrypt
from practices.models import Enrollment, PerformanceYear
from scores import selectors
from scores.models import (
    ActivityAttestation, CategoryWeights, ImprovementActivity, MeasureSelection, QualityMeasure, ScoringYear,
)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class Reason:
    """Why a measure got its achievement points (shown in the measures table)."""

    DECILE = "decile"
    FLOOR = "floor"
    TOPPED_OUT_CAP = "topped_out_cap"
    LOW_CASES = "low_cases"
    NO_BENCHMARK = "no_benchmark"
    NO_RATE = "no_rate"
    COMPLETENESS = "completeness"


# --- Per-measure inputs ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureData:
    """What the rules read from a measure's counts: case count, data completeness % and performance rate %."""

    cases: int
    completeness: Decimal | None
    rate: Decimal | None


def measure_data_current(aggregate: MeasureAggregate) -> MeasureData:
    """Return the measure's data as loaded so far (caseCount = eligible population, as the QPP API reports it)."""
    cases = aggregate.eligible_population
    rated = aggregate.performance_met + aggregate.performance_not_met
    completeness = Decimal(cases - aggregate.not_reported) * HUNDRED / cases if cases else None
    rate = Decimal(aggregate.performance_met) * HUNDRED / rated if rated else None
    return MeasureData(cases=cases, completeness=completeness, rate=rate)


def year_extrapolation_factor(aggregate: MeasureAggregate, *, year: PerformanceYear) -> Decimal:
    """Return days in the year ÷ days the loaded service dates span (1 when the dates are missing or span the year)."""
    year_days = (year.ends_on - year.starts_on).days + 1
    if not (aggregate.first_service_date and aggregate.last_service_date):
        return Decimal(1)
    span = (aggregate.last_service_date - aggregate.first_service_date).days + 1
    return max(Decimal(1), Decimal(year_days) / Decimal(max(span, 1)))


def measure_data_projected(aggregate: MeasureAggregate, *, year: PerformanceYear, rules: ScoringYear) -> MeasureData:
    """Return the measure's data at year end: completeness at least the year's minimum, cases extrapolated, same rate."""
    current = measure_data_current(aggregate)
    cases = int(current.cases * year_extrapolation_factor(aggregate, year=year))  # whole cases, rounded down
    completeness = max(current.completeness or Decimal(0), rules.data_completeness_percent)
    return MeasureData(cases=cases, completeness=completeness, rate=current.rate)


# --- Achievement points -----------------------------------------------------------------------------------------------


def decile_points(*, rate: Decimal, deciles: Sequence[Decimal], is_inverse: bool) -> tuple[int, Decimal]:
    """Return the decile a rate falls in and its points with CMS's partial fraction (decile + share of the decile passed).

    `deciles` are the inclusive lower bounds of deciles 2–10 (1–10 when there are ten); decile 1 then starts at 0
    (at 100 for an inverse measure, whose bounds run downwards because a lower rate is better). A decile whose bound
    equals the next one is empty and is skipped. Decile 10 is worth 10 points flat.
    """
    bounds = [HUNDRED if is_inverse else Decimal(0), *deciles] if len(deciles) == 9 else list(deciles)
    reached = [i for i, bound in enumerate(bounds) if (rate <= bound if is_inverse else rate >= bound)]
    if not reached:  # only possible with ten explicit bounds: below decile 1's own lower bound
        return 1, Decimal(1)
    index = max(reached)
    decile = index + 1
    if decile == 10:
        return 10, Decimal(10)
    lower, upper = bounds[index], bounds[index + 1]
    passed = (lower - rate) / (lower - upper) if is_inverse else (rate - lower) / (upper - lower)
    return decile, decile + passed


@dataclass(frozen=True)
class MeasureScore:
    """A measure's achievement points and how they came about."""

    measure: QualityMeasure
    data: MeasureData
    points: Decimal
    reason: str
    decile: int | None = None
    capped: bool = False
    counted: bool = False
    required: bool = False
    bonus: int = 0

    @property
    def benchmark(self):
        """Return the measure's registry benchmark, or None."""
        return getattr(self.measure, "benchmark", None)


def measure_points_compute(*, measure: QualityMeasure, data: MeasureData, is_small: bool, rules: ScoringYear) -> MeasureScore:
    """Return a measure's achievement points under the year's rules (completeness, case minimum, benchmark, floor, cap)."""
    if data.completeness is None or data.completeness < rules.data_completeness_percent:
        points = rules.completeness_miss_points_small if is_small else rules.completeness_miss_points
        return MeasureScore(measure=measure, data=data, points=points, reason=Reason.COMPLETENESS)
    low = rules.low_case_points_small if is_small else rules.low_case_points
    benchmark = getattr(measure, "benchmark", None)
    if data.cases < rules.case_minimum:
        return MeasureScore(measure=measure, data=data, points=low, reason=Reason.LOW_CASES)
    if benchmark is None:
        return MeasureScore(measure=measure, data=data, points=low, reason=Reason.NO_BENCHMARK)
    if data.rate is None:
        return MeasureScore(measure=measure, data=data, points=low, reason=Reason.NO_RATE)
    decile, points = decile_points(rate=data.rate, deciles=benchmark.deciles, is_inverse=measure.is_inverse)
    reason = Reason.DECILE
    if points < rules.decile_floor_points:
        points, reason = rules.decile_floor_points, Reason.FLOOR
    capped = benchmark.is_topped_out_by_program and points > rules.topped_out_cap
    if capped:
        points, reason = rules.topped_out_cap, Reason.TOPPED_OUT_CAP
    return MeasureScore(measure=measure, data=data, points=points, reason=reason, decile=decile, capped=capped)


# --- Quality category -------------------------------------------------------------------------------------------------


def _by_points(score: MeasureScore):
    return (-score.points, score.measure.measure_id)


def quality_top_select(scores: Sequence[MeasureScore], *, rules: ScoringYear) -> tuple[list[MeasureScore], MeasureScore | None]:
    """Return the measures that count (best six) and the one filling the required outcome/high-priority slot.

    The slot takes the best outcome measure, or, when none was reported, the best high-priority measure; with
    neither, the slot is lost and only the five best others count.
    """
    outcome = [s for s in scores if s.measure.measure_type in rules.outcome_measure_types]
    pool = outcome or [s for s in scores if s.measure.is_high_priority]
    required = min(pool, key=_by_points) if pool else None
    others = sorted((s for s in scores if s is not required), key=_by_points)[: rules.scored_measure_count - 1]
    return ([required] if required else []) + others, required


def measure_bonus_points(score: MeasureScore, *, rules: ScoringYear) -> int:
    """Return a measure's high-priority bonus: 2 for an outcome or patient-experience measure, 1 for another
    high-priority one, 0 unless it meets data completeness and the case minimum and has a performance rate above 0."""
    data = score.data
    if (data.completeness is None or data.completeness < rules.data_completeness_percent
            or data.cases < rules.case_minimum or not data.rate):
        return 0
    if score.measure.measure_type in rules.two_point_bonus_measure_types:
        return rules.outcome_bonus
    return rules.high_priority_bonus if score.measure.is_high_priority else 0


@dataclass(frozen=True)
class QualityScore:
    """The quality category: every scored measure (counted ones first), the points and the category percent."""

    measures: list[MeasureScore]
    achievement: Decimal
    bonus_earned: int
    bonus: Decimal
    small_bonus: Decimal
    slot_lost: bool
    percent: Decimal


def quality_score_compute(*, scores: Sequence[MeasureScore], is_small: bool, rules: ScoringYear) -> QualityScore:
    """Return the quality category score: (best six + capped bonus + small-practice bonus) ÷ denominator, at most 100 %.

    Bonus points count for every reported measure beyond the required one, whether or not it is in the best six.
    """
    counted, required = quality_top_select(scores, rules=rules)
    counted_ids = {id(s) for s in counted}
    marked = [
        dataclasses.replace(
            s, counted=id(s) in counted_ids, required=s is required,
            bonus=0 if s is required else measure_bonus_points(s, rules=rules),
        )
        for s in scores
    ]
    marked.sort(key=lambda s: (not s.counted, not s.required, *_by_points(s)))
    achievement = sum((s.points for s in marked if s.counted), Decimal(0))
    bonus_earned = sum(s.bonus for s in marked)
    bonus = min(Decimal(bonus_earned), rules.bonus_cap)
    small_bonus = rules.small_practice_bonus if is_small and scores else Decimal(0)
    percent = min(HUNDRED, (achievement + bonus + small_bonus) * HUNDRED / rules.quality_denominator)
    return QualityScore(
        measures=marked, achievement=achievement, bonus_earned=bonus_earned, bonus=bonus, small_bonus=small_bonus,
        slot_lost=bool(scores) and required is None, percent=percent,
    )


# --- Improvement activities -------------------------------------------------------------------------------------------


def activity_points(activity: ImprovementActivity, *, doubled: bool, rules: ScoringYear) -> int:
    """Return an activity's points: medium or high, doubled for a small, rural or HPSA practice.

    CMS's data gives no weight only to the medical-home attestation, which earns full credit on its own.
    """
    if not activity.weight:
        return rules.ia_max_points
    points = rules.ia_high_points if activity.weight == ImprovementActivity.Weight.HIGH else rules.ia_medium_points
    return points * (rules.ia_special_status_multiplier if doubled else 1)


@dataclass(frozen=True)
class IaScore:
    """The improvement-activities category."""

    activities: list[tuple[ImprovementActivity, int]]
    doubled: bool
    points_earned: int
    points: int
    percent: Decimal


def ia_score_compute(*, activities: Iterable[ImprovementActivity], doubled: bool, rules: ScoringYear) -> IaScore:
    """Return the IA category score: min(maximum, Σ activity points) ÷ maximum."""
    scored = [(a, activity_points(a, doubled=doubled, rules=rules)) for a in activities]
    earned = sum(p for _, p in scored)
    points = min(earned, rules.ia_max_points)
    return IaScore(activities=scored, doubled=doubled, points_earned=earned, points=points,
                   percent=Decimal(points) * HUNDRED / rules.ia_max_points)


# --- Weights, final score and payment adjustment ----------------------------------------------------------------------


def category_weights_select(
    *, rows: Iterable[CategoryWeights], pi_exempt: bool, cost_exempt: bool, is_small: bool, rules: ScoringYear
) -> CategoryWeights | None:
    """Return the reweighting-table row for the practice: PI reweighted when exempt, Cost when exempt or reweighted
    for everyone that year; a row for the practice's size beats a row for any size."""
    wanted = {"quality_reweighted": False, "ia_reweighted": False, "pi_reweighted": pi_exempt,
              "cost_reweighted": cost_exempt or rules.cost_reweighted_for_all}
    matches = [r for r in rows if all(getattr(r, k) == v for k, v in wanted.items()) and r.small_practice in (None, is_small)]
    return min(matches, key=lambda r: r.small_practice is None, default=None)


def final_score_compute(*, quality_percent: Decimal, ia_percent: Decimal, weights: CategoryWeights,
                        pi_percent: Decimal = Decimal(0), cost_percent: Decimal = Decimal(0)) -> Decimal:
    """Return Σ category score × weight, rounded to 2 decimals and at most 100 (complex-patient bonus not included)."""
    total = (quality_percent * weights.quality + ia_percent * weights.ia + pi_percent * weights.pi
             + cost_percent * weights.cost) / HUNDRED
    return min(HUNDRED, total).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Adjustment:
    """The payment adjustment a final score leads to. Positive percentages are before CMS's budget-neutrality scaling."""

    direction: str  # "negative", "neutral" or "positive"
    percent: Decimal
    meets_threshold: bool
    exceptional: bool


def payment_adjustment_compute(*, final_score: Decimal, rules: ScoringYear) -> Adjustment:
    """Return the adjustment band: the full negative at or below a quarter of the threshold, linear to 0 at the
    threshold, neutral at it, linear up to the maximum at 100 above it; exceptional at or above that threshold."""
    threshold, floor, most = rules.performance_threshold, rules.max_penalty_score, rules.max_adjustment_percent
    exceptional = rules.exceptional_threshold is not None and final_score >= rules.exceptional_threshold
    if final_score <= floor:
        return Adjustment("negative", -most, False, False)
    if final_score < threshold:
        return Adjustment("negative", -most * (threshold - final_score) / (threshold - floor), False, False)
    if final_score == threshold:
        return Adjustment("neutral", Decimal(0), True, exceptional)
    return Adjustment("positive", most * (final_score - threshold) / (HUNDRED - threshold), True, exceptional)


# --- An enrollment's scores -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One way of reading the year (current or projected): the category scores, weights, final score and adjustment."""

    quality: QualityScore
    ia: IaScore
    weights: CategoryWeights | None
    final: Decimal | None
    adjustment: Adjustment | None


def scenario_compute(
    *, measures: Sequence[tuple[QualityMeasure, MeasureData]], activities: Sequence[ImprovementActivity],
    facts: selectors.PracticeFacts, rules: ScoringYear,
) -> Scenario:
    """Return the category scores, final score and adjustment for one set of measure data."""
    scores = [measure_points_compute(measure=m, data=d, is_small=facts.is_small, rules=rules) for m, d in measures]
    quality = quality_score_compute(scores=scores, is_small=facts.is_small, rules=rules)
    ia = ia_score_compute(activities=activities, doubled=facts.ia_doubled, rules=rules)
    weights = category_weights_select(
        rows=rules.weights.all(), pi_exempt=facts.pi_exempt, cost_exempt=facts.cost_exempt, is_small=facts.is_small,
        rules=rules,
    )
    if weights is None:
        return Scenario(quality=quality, ia=ia, weights=None, final=None, adjustment=None)
    final = final_score_compute(quality_percent=quality.percent, ia_percent=ia.percent, weights=weights)
    return Scenario(quality=quality, ia=ia, weights=weights, final=final,
                    adjustment=payment_adjustment_compute(final_score=final, rules=rules))


@dataclass(frozen=True)
class ScoreReport:
    """An enrollment's current and projected scores, and what the administrator should know about them."""

    facts: selectors.PracticeFacts
    rules: ScoringYear
    current: Scenario
    projected: Scenario
    inputs: selectors.MeasureInputs
    attestations: list[ActivityAttestation] = field(default_factory=list)

    @property
    def measure_rows(self) -> list[tuple[MeasureScore, MeasureScore]]:
        """Return (current, projected) per measure, in the current table's order."""
        projected = {s.measure.measure_id: s for s in self.projected.quality.measures}
        return [(s, projected[s.measure.measure_id]) for s in self.current.quality.measures]


def enrollment_score_compute(*, enrollment: Enrollment) -> ScoreReport | None:
    """Return the enrollment's current and projected scores, or None when the year's CMS data is not loaded."""
    rules = selectors.scoring_rules(enrollment.year_id)
    if rules is None:
        return None
    facts = selectors.practice_facts(enrollment)
    inputs = selectors.scoring_measures(enrollment)
    attested = list(selectors.attestations(enrollment))
    activities = [a.activity for a in attested if a.group_participation]
    year = enrollment.year
    current = [(m, measure_data_current(a)) for m, a in inputs.pairs]
    projected = [(m, measure_data_projected(a, year=year, rules=rules)) for m, a in inputs.pairs]
    return ScoreReport(
        facts=facts, rules=rules, inputs=inputs, attestations=attested,
        current=scenario_compute(measures=current, activities=activities, facts=facts, rules=rules),
        projected=scenario_compute(measures=projected, activities=activities, facts=facts, rules=rules),
    )


# --- The administrator's choices ---------------------------------------------------------------------------------------


def measure_selection_save(*, enrollment: Enrollment, measures: Iterable[QualityMeasure]) -> None:
    """Replace the enrollment's chosen quality measures."""
    measures = list(measures)
    with transaction.atomic():
        enrollment.measure_selections.exclude(measure__in=measures).delete()
        selections = [MeasureSelection(enrollment=enrollment, measure=m) for m in measures]
        MeasureSelection.objects.bulk_create(selections, ignore_conflicts=True)


def activity_attest(
    *, enrollment: Enrollment, activity: ImprovementActivity, start_date: datetime.date, end_date: datetime.date,
    group_participation: bool, user,
) -> ActivityAttestation:
    """Record (or update) the attestation of one activity with its period; raises ValidationError if the period is invalid."""
    with transaction.atomic():
        attestation = (
            ActivityAttestation.objects.select_for_update().filter(enrollment=enrollment, activity=activity).first()
            or ActivityAttestation(enrollment=enrollment, activity=activity)
        )
        attestation.start_date, attestation.end_date = start_date, end_date
        attestation.group_participation = group_participation
        attestation.attested_by, attestation.attested_at = user, timezone.now()
        attestation.full_clean()
        attestation.save()
    return attestation


def activity_attestation_withdraw(*, attestation: ActivityAttestation) -> None:
    """Withdraw an attestation (the activity no longer counts)."""
    attestation.delete()


# --- QPP submission file -----------------------------------------------------------------------------------------------


class SubmissionFileError(Exception):
    """The submission file cannot be built yet (the message says what is missing, never the TIN)."""


def _measurement(measure: QualityMeasure, aggregate: MeasureAggregate) -> dict:
    counts = {
        "performanceMet": aggregate.performance_met,
        "performanceNotMet": aggregate.performance_not_met,
        "eligiblePopulationExclusion": aggregate.exclusions,
        "eligiblePopulationException": aggregate.exceptions,
        "eligiblePopulation": aggregate.eligible_population,
    }
    if measure.metric_type.lower().endswith("multiperformancerate"):
        # Our aggregates carry one set of counts: the measure's overall rate, which is the stratum CMS scores.
        return {"measureId": measure.measure_id, "value": {"isEndToEndReported": False, "strata": [{"stratum": "overall", **counts}]}}
    return {"measureId": measure.measure_id, "value": {"isEndToEndReported": False, **counts}}


def submission_file_build(*, enrollment: Enrollment) -> dict:
    """Return the year as QPP Submissions API measurement sets: one quality set (registry) and one IA set."""
    tax_identifier = selectors.setup_row(enrollment, "tax_identifier")
    if tax_identifier is None:
        raise SubmissionFileError("The set-up has no TIN yet, so there is no submission file.")
    year = enrollment.year
    submission = {"entityType": "group", "taxpayerIdentificationNumber": tin_decrypt(tax_identifier.tin_encrypted),
                  "performanceYear": year.year}
    sets = []
    inputs = selectors.scoring_measures(enrollment)
    if inputs.pairs:
        sets.append({
            "category": "quality", "submissionMethod": "registry", "programName": "mips",
            "performanceStart": year.starts_on.isoformat(), "performanceEnd": year.ends_on.isoformat(),
            "submission": submission, "measurements": [_measurement(m, a) for m, a in inputs.pairs],
        })
    attested = [a for a in selectors.attestations(enrollment) if a.group_participation]
    if attested:
        sets.append({
            "category": "ia", "submissionMethod": "registry", "programName": "mips",
            "performanceStart": min(a.start_date for a in attested).isoformat(),
            "performanceEnd": max(a.end_date for a in attested).isoformat(),
            "submission": submission,
            "measurements": [{"measureId": a.activity.activity_id, "value": True} for a in attested],
        })
    if not sets:
        raise SubmissionFileError("There is nothing to submit yet: no quality data is loaded and no activity is attested.")
    return {"measurementSets": sets}


def submission_filename(enrollment: Enrollment) -> str:
    """Return the download's file name (the practice's id and the year; never the TIN)."""
    return f"qpp-submission-{enrollment.year.year}-practice-{enrollment.practice_id}.json"
