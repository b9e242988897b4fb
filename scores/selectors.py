"""Reads for scoring: the practice's facts from its set-up, the year's rules, the measures to score and the attested
activities. Each is one query (two for the rules), so a dashboard costs the same whatever the number of measures."""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from emr.models import MeasureAggregate
from onboarding.choices import SPECIALTY_MEASURE_SET
from practices.models import Enrollment
from scores.models import ActivityAttestation, ImprovementActivity, MeasureSelection, QualityMeasure, ScoringYear


@dataclass(frozen=True)
class PracticeFacts:
    """What scoring needs from the set-up. A missing step row counts as "no"."""

    specialty: str
    is_small: bool
    is_rural: bool
    is_hpsa: bool
    pi_exempt: bool
    cost_exempt: bool

    @property
    def ia_doubled(self) -> bool:
        """Return whether activity points are doubled (small, rural or HPSA practice)."""
        return self.is_small or self.is_rural or self.is_hpsa

    @property
    def measure_set(self) -> str | None:
        """Return CMS's measure-set slug of the practice's specialty, if it has one."""
        return SPECIALTY_MEASURE_SET.get(self.specialty)


def setup_row(enrollment: Enrollment, name: str):
    """Return the enrollment's one-to-one set-up row called `name` (e.g. "tax_identifier"), or None if there is none."""
    try:
        return getattr(enrollment, name)
    except ObjectDoesNotExist:
        return None


def practice_facts(enrollment: Enrollment) -> PracticeFacts:
    """Return the practice's specialty, size, rural/HPSA status and exemptions from its set-up rows (one query)."""
    e = Enrollment.objects.select_related("profile", "small_practice", "pi_survey", "exemptions").get(pk=enrollment.pk)
    profile, small, pi, exemptions = (setup_row(e, n) for n in ("profile", "small_practice", "pi_survey", "exemptions"))
    return PracticeFacts(
        specialty=profile.specialty if profile else "",
        is_small=bool(small and small.is_small),
        is_rural=bool(profile and profile.is_rural),
        is_hpsa=bool(profile and profile.is_hpsa),
        pi_exempt=bool(pi and pi.pi_exempt),
        cost_exempt=bool(exemptions and exemptions.cost_exempt),
    )


def scoring_rules(year_id: int) -> ScoringYear | None:
    """Return the year's scoring rules with their reweighting table, or None when the year has not been loaded."""
    return ScoringYear.objects.filter(year_id=year_id).prefetch_related("weights").first()


def measure_id_normalize(raw: str) -> str:
    """Return a measure ID as CMS writes it: numeric IDs zero-padded to three digits ("1" → "001")."""
    raw = raw.strip()
    return raw.zfill(3) if raw.isdigit() else raw


@dataclass(frozen=True)
class MeasureInputs:
    """The measures to score, each with its loaded aggregate, and what could not be scored."""

    pairs: list[tuple[QualityMeasure, MeasureAggregate]]
    unknown_ids: list[str]
    selected_without_data: list[QualityMeasure]
    default_selection: bool


def scoring_measures(enrollment: Enrollment) -> MeasureInputs:
    """Return the chosen measures that have loaded data (every loaded measure when none were chosen)."""
    aggregates = {measure_id_normalize(a.measure_id): a for a in MeasureAggregate.objects.filter(enrollment=enrollment)}
    selected = set(MeasureSelection.objects.filter(enrollment=enrollment).values_list("measure__measure_id", flat=True))
    wanted = selected or set(aggregates)
    measures = {
        m.measure_id: m
        for m in QualityMeasure.objects.filter(year_id=enrollment.year_id, measure_id__in=wanted | set(aggregates))
        .select_related("benchmark")
    }
    return MeasureInputs(
        pairs=[(measures[i], aggregates[i]) for i in sorted(wanted) if i in measures and i in aggregates],
        unknown_ids=sorted(i for i in aggregates if i not in measures),
        selected_without_data=[measures[i] for i in sorted(selected) if i in measures and i not in aggregates],
        default_selection=not selected,
    )


def attestations(enrollment: Enrollment) -> QuerySet[ActivityAttestation]:
    """Return the enrollment's activity attestations with their activities."""
    return ActivityAttestation.objects.filter(enrollment=enrollment).select_related("activity")


def measures_for_choice(enrollment: Enrollment) -> QuerySet[QualityMeasure]:
    """Return the year's registry measures, for the measure-choice page."""
    return QualityMeasure.objects.filter(year_id=enrollment.year_id).select_related("benchmark")


def activities_for_year(year_id: int) -> QuerySet[ImprovementActivity]:
    """Return the year's improvement-activity inventory."""
    return ImprovementActivity.objects.filter(year_id=year_id)


def loaded_measure_counts(enrollment: Enrollment) -> dict[str, int]:
    """Return the loaded case count per (normalised) measure ID."""
    rows = MeasureAggregate.objects.filter(enrollment=enrollment).values_list("measure_id", "eligible_population")
    return {measure_id_normalize(m): n for m, n in rows}
