"""The 2021 scoring rules, each on its own, with expected values worked out by hand from CMS's real registry deciles
(qpp-measures-data 5.5.4, `benchmarks/2021.json`, loaded into the test database by `load_qpp_data`)."""

import dataclasses
from decimal import Decimal

import pytest

from scores import services
from scores.models import CategoryWeights, ImprovementActivity
from scores.services import MeasureData, MeasureScore, Reason
from scores.tests.factories import aggregate_create, enrollment_create, measure

pytestmark = pytest.mark.django_db

D = Decimal

# The registry deciles the hand calculations below read (lower bounds of deciles 2..10), checked against the package.
DECILES = {
    "134": [0, 14.76, 37.44, 55.93, 71.74, 84.69, 95.56, 99.22, 100],  # Depression screening, process
    "130": [0, 86.71, 96.32, 98.95, 99.68, 99.91, 100, 100, 100],  # Current medications, topped out by program
    "182": [0, 98.57, 99.59, 99.84, 100, 100, 100, 100, 100],  # Functional outcome assessment, topped out, no cap
    "001": [100, 90.69, 72.51, 55.17, 41.98, 32.56, 25.48, 19.15, 12.87],  # HbA1c poor control, inverse
    "217": [37.65, 42.94, 47.06, 52.7, 56.67, 61.05, 65.31, 81.2, 96.88],  # Knee PRO, 2021 performance-period benchmark
}


def test_hand_calculations_read_the_packages_deciles(rules):
    for measure_id, deciles in DECILES.items():
        assert [float(d) for d in measure(measure_id).benchmark.deciles] == deciles
    assert measure("130").benchmark.is_topped_out_by_program and not measure("182").benchmark.is_topped_out_by_program
    assert measure("001").is_inverse
    assert not hasattr(measure("261"), "benchmark")  # a MIPS CQM without a 2021 registry benchmark


def data(rate: str, *, cases: int = 100, completeness: str = "100") -> MeasureData:
    return MeasureData(cases=cases, completeness=D(completeness), rate=D(rate))


ACHIEVEMENT_CASES = [
    # id, measure, rate %, cases, completeness %, small practice, expected points, decile, reason
    # 134: 55.93 is decile 5's lower bound exactly -> 5 + 0/(71.74 - 55.93) = 5
    ("decile boundary", "134", "55.93", 100, "100", False, 5, 5, Reason.DECILE),
    # 134: 71.74 <= 80 < 84.69 -> decile 6 + (80 - 71.74)/(84.69 - 71.74) = 6 + 8.26/12.95 = 6.637838
    ("inside a decile", "134", "80", 100, "100", False, 6.637838, 6, Reason.DECILE),
    # 134: 0 <= 10 < 14.76 -> decile 2 (2.68 points) -> below decile 3: floor 3
    ("below decile 3", "134", "10", 100, "100", False, 3, 2, Reason.FLOOR),
    # 134: 100 >= decile 10's bound 100 -> 10 flat
    ("decile 10", "134", "100", 100, "100", False, 10, 10, Reason.DECILE),
    # 130: 100 reaches decile 10 (10 points) but 130 is topped out by program -> capped at 7
    ("topped-out cap", "130", "100", 100, "100", False, 7, 10, Reason.TOPPED_OUT_CAP),
    # 130: 99.68 <= 99.8 < 99.91 -> 6 + 0.12/0.23 = 6.521739, under the cap so not capped
    ("topped out, under the cap", "130", "99.8", 100, "100", False, 6.521739, 6, Reason.DECILE),
    # 182: 99.84 <= 99.9 < 100 (deciles 6-10 share the bound 100) -> 5 + 0.06/0.16 = 5.375
    ("empty deciles skipped", "182", "99.9", 100, "100", False, 5.375, 5, Reason.DECILE),
    # 182 is topped out but not by program: 100 keeps its 10 points
    ("topped out, no cap", "182", "100", 100, "100", False, 10, 10, Reason.DECILE),
    # 001 (inverse): 25.48 < 30 <= 32.56 -> decile 7 + (32.56 - 30)/(32.56 - 25.48) = 7 + 2.56/7.08 = 7.361582
    ("inverse measure", "001", "30", 100, "100", False, 7.361582, 7, Reason.DECILE),
    # 001 (inverse): 12.87 is decile 10's bound -> 10
    ("inverse decile 10", "001", "12.87", 100, "100", False, 10, 10, Reason.DECILE),
    # 217: 47.06 <= 50 < 52.7 -> 4 + 2.94/5.64 = 4.521277
    ("outcome measure", "217", "50", 100, "100", False, 4.521277, 4, Reason.DECILE),
    # fewer than 20 cases -> 3, whatever the rate (80 would be 6.64)
    ("fewer than 20 cases", "134", "80", 19, "100", False, 3, None, Reason.LOW_CASES),
    # completeness 69.99 % < 70 %: a large practice gets 0 ...
    ("completeness miss, large", "134", "80", 100, "69.99", False, 0, None, Reason.COMPLETENESS),
    # ... and a small practice 3
    ("completeness miss, small", "134", "80", 100, "69.99", True, 3, None, Reason.COMPLETENESS),
    # exactly 70 % meets completeness -> scored on the deciles as above
    ("completeness exactly 70", "134", "80", 100, "70", False, 6.637838, 6, Reason.DECILE),
    # 261 has no 2021 registry benchmark -> 3
    ("no benchmark", "261", "80", 100, "100", False, 3, None, Reason.NO_BENCHMARK),
]


@pytest.mark.parametrize(
    "measure_id, rate, cases, completeness, small, points, decile, reason",
    [c[1:] for c in ACHIEVEMENT_CASES], ids=[c[0] for c in ACHIEVEMENT_CASES],
)
def test_achievement_points(rules, measure_id, rate, cases, completeness, small, points, decile, reason):
    score = services.measure_points_compute(
        measure=measure(measure_id), data=data(rate, cases=cases, completeness=completeness), is_small=small, rules=rules
    )
    assert float(score.points) == pytest.approx(points, abs=1e-6)
    assert (score.decile, score.reason) == (decile, reason)
    assert score.capped is (reason == Reason.TOPPED_OUT_CAP)


def test_rates_come_from_the_counts_as_the_qpp_api_computes_them(rules):
    enrollment = enrollment_create()
    # 134: 5593 met of 10,000 rated is exactly 55.93 % (decile 5's bound); 10 % of 11,110 cases not reported.
    aggregate = aggregate_create(enrollment, "134", met=5593, not_met=4407, exclusions=50, exceptions=49, not_reported=1011)
    current = services.measure_data_current(aggregate)
    assert current == MeasureData(cases=11110, completeness=D(10099) * 100 / D(11110), rate=D("55.93"))
    assert services.measure_points_compute(measure=measure("134"), data=current, is_small=False, rules=rules).points == 5


def test_projection_reaches_completeness_and_extrapolates_cases_keeping_the_rate(rules):
    enrollment = enrollment_create()
    # Service dates Jan 1 - Jun 30 span 181 days: factor 365/181; 15 cases -> 30.25 -> 30; completeness 50 % -> 70 %.
    aggregate = aggregate_create(enrollment, "478", met=5, not_met=5, not_reported=5, last=enrollment.year.starts_on.replace(month=6, day=30))
    projected = services.measure_data_projected(aggregate, year=enrollment.year, rules=rules)
    assert projected.cases == 30
    assert projected.completeness == 70
    assert projected.rate == 50


def _score(measure_id: str, points: str, **data_kwargs) -> MeasureScore:
    return MeasureScore(measure=measure(measure_id), data=data("50", **data_kwargs), points=D(points), reason=Reason.DECILE)


def test_best_six_must_include_the_outcome_measure(rules):
    scores = [_score("126", "9"), _score("127", "8"), _score("128", "8"), _score("134", "7"), _score("226", "6"),
              _score("283", "5"), _score("217", "4")]
    quality = services.quality_score_compute(scores=scores, is_small=False, rules=rules)
    counted = {s.measure.measure_id for s in quality.measures if s.counted}
    # The outcome measure 217 (4) takes the required slot; the five best others fill the rest; 283 (5) drops out.
    assert counted == {"217", "126", "127", "128", "134", "226"}
    assert quality.achievement == 4 + 9 + 8 + 8 + 7 + 6
    assert [s.measure.measure_id for s in quality.measures if s.required] == ["217"]


def test_best_six_without_an_outcome_measure_takes_the_best_high_priority_one(rules):
    scores = [_score("126", "9"), _score("127", "8"), _score("128", "8"), _score("134", "7"), _score("226", "6"),
              _score("283", "5"), _score("155", "3"), _score("181", "4")]
    quality = services.quality_score_compute(scores=scores, is_small=False, rules=rules)
    # No outcome measure: the best high-priority measure (181, 4 points; 155 has 3) is required.
    assert [s.measure.measure_id for s in quality.measures if s.required] == ["181"]
    assert quality.achievement == 4 + 9 + 8 + 8 + 7 + 6
    assert not quality.slot_lost


def test_without_outcome_or_high_priority_measure_the_slot_is_lost(rules):
    scores = [_score("126", "9"), _score("127", "8"), _score("128", "8"), _score("134", "7"), _score("226", "6"), _score("283", "5")]
    quality = services.quality_score_compute(scores=scores, is_small=False, rules=rules)
    assert quality.slot_lost
    assert quality.achievement == 9 + 8 + 8 + 7 + 6  # five count; the sixth slot scores 0
    assert quality.percent == D(38) * 100 / 60


def test_bonus_points_are_capped_at_six(rules):
    # Seven patient-reported outcome measures, all with 20+ cases, full completeness and a rate above 0: the
    # required one earns no bonus, the six others 2 each = 12, capped at 6.
    scores = [_score(m, "5") for m in ("217", "218", "219", "220", "221", "222", "478")]
    quality = services.quality_score_compute(scores=scores, is_small=False, rules=rules)
    assert (quality.bonus_earned, quality.bonus) == (12, 6)
    assert quality.percent == (30 + D(6)) * 100 / 60


def test_bonus_needs_completeness_case_minimum_and_a_rate_above_zero(rules):
    def bonus(measure_id, **kwargs):
        return services.measure_bonus_points(MeasureScore(measure=measure(measure_id), data=MeasureData(**kwargs),
                                                          points=D(3), reason=Reason.DECILE), rules=rules)

    assert bonus("217", cases=20, completeness=D(70), rate=D("0.1")) == 2  # outcome
    assert bonus("182", cases=20, completeness=D(70), rate=D(50)) == 1  # other high priority
    assert bonus("134", cases=20, completeness=D(70), rate=D(50)) == 0  # not high priority
    assert bonus("217", cases=19, completeness=D(100), rate=D(50)) == 0
    assert bonus("217", cases=20, completeness=D("69.9"), rate=D(50)) == 0
    assert bonus("217", cases=20, completeness=D(100), rate=D(0)) == 0


def test_small_practice_bonus_and_quality_cap_at_100(rules):
    scores = [_score(m, "10") for m in ("217", "126", "127", "128", "134", "226")]
    assert services.quality_score_compute(scores=scores, is_small=True, rules=rules).percent == 100  # 60 + 6 > 60
    one = services.quality_score_compute(scores=[_score("134", "4")], is_small=True, rules=rules)
    assert (one.small_bonus, one.percent) == (6, D(10) * 100 / 60)  # slot lost, 4 + small bonus 6
    assert services.quality_score_compute(scores=[], is_small=True, rules=rules).percent == 0  # nothing reported, no bonus


def _activities(*weights: str) -> list[ImprovementActivity]:
    by_weight = {w: list(ImprovementActivity.objects.filter(year__year=2021, weight=w)) for w in ("medium", "high", "")}
    return [by_weight[w].pop() for w in weights]


def test_ia_points_medium_10_high_20_and_cap_40(rules):
    assert services.ia_score_compute(activities=_activities("medium"), doubled=False, rules=rules).percent == 25
    full = services.ia_score_compute(activities=_activities("high", "medium", "medium"), doubled=False, rules=rules)
    assert (full.points_earned, full.points, full.percent) == (40, 40, 100)


def test_ia_points_doubled_for_small_rural_or_hpsa_and_capped(rules):
    one_high = services.ia_score_compute(activities=_activities("high"), doubled=True, rules=rules)
    assert (one_high.points, one_high.percent) == (40, 100)
    many = services.ia_score_compute(activities=_activities("high", "high", "medium"), doubled=True, rules=rules)
    assert (many.points_earned, many.points) == (100, 40)
    assert services.ia_score_compute(activities=_activities("medium"), doubled=True, rules=rules).percent == 50


def test_medical_home_attestation_earns_full_ia_credit(rules):
    assert services.ia_score_compute(activities=_activities(""), doubled=False, rules=rules).percent == 100


@pytest.mark.parametrize("facts", [
    {"is_small": True}, {"is_rural": True}, {"is_hpsa": True},
])
def test_practice_facts_double_ia_points(rules, facts):
    from scores.selectors import practice_facts

    assert practice_facts(enrollment_create(**facts)).ia_doubled
    assert not practice_facts(enrollment_create()).ia_doubled


def _weights(rules, *, pi_exempt, cost_exempt=False, is_small=False):
    rows = CategoryWeights.objects.filter(scoring_year=rules)
    row = services.category_weights_select(rows=rows, pi_exempt=pi_exempt, cost_exempt=cost_exempt,
                                           is_small=is_small, rules=rules)
    return (row.quality, row.cost, row.ia, row.pi) if row else None


def test_2021_weights_pi_exempt_is_quality_85_ia_15(rules):
    assert _weights(rules, pi_exempt=True) == (85, 0, 15, 0)  # Cost is 0 for everyone in 2021
    assert _weights(rules, pi_exempt=True, cost_exempt=True) == (85, 0, 15, 0)


def test_2021_weights_pi_not_exempt_is_quality_55_ia_15_pi_30(rules):
    assert _weights(rules, pi_exempt=False) == (55, 0, 15, 30)


@pytest.mark.parametrize("pi_exempt, cost_exempt, expected", [
    (False, False, (40, 20, 15, 25)),  # default
    (False, True, (55, 0, 15, 30)),  # no Cost
    (True, False, (65, 20, 15, 0)),  # no PI
    (True, True, (85, 0, 15, 0)),  # no PI, no Cost
])
def test_weights_in_a_year_without_blanket_cost_reweighting(rules, pi_exempt, cost_exempt, expected):
    rules.cost_reweighted_for_all = False  # in memory only: a year like 2022, whose Cost counts
    assert _weights(rules, pi_exempt=pi_exempt, cost_exempt=cost_exempt) == expected


def test_a_row_for_small_practices_beats_the_row_for_any_size(rules):
    CategoryWeights.objects.create(scoring_year=rules, pi_reweighted=True, cost_reweighted=True, small_practice=True,
                                   quality=50, cost=0, ia=50, pi=0, verified=True, note="2022-style small practice")
    assert _weights(rules, pi_exempt=True, is_small=True) == (50, 0, 50, 0)
    assert _weights(rules, pi_exempt=True, is_small=False) == (85, 0, 15, 0)


def test_final_score_is_the_weighted_sum(rules):
    weights = services.category_weights_select(rows=rules.weights.all(), pi_exempt=True, cost_exempt=False,
                                               is_small=False, rules=rules)
    # 80 % × 85 + 100 % × 15 = 68 + 15 = 83
    assert services.final_score_compute(quality_percent=D(80), ia_percent=D(100), weights=weights) == D("83.00")
    # 2/3 of quality: 66.666… × 0.85 = 56.666… -> 56.67 (two decimals)
    assert services.final_score_compute(quality_percent=D(200) / 3, ia_percent=D(0), weights=weights) == D("56.67")


@pytest.mark.parametrize("score, direction, percent, meets, exceptional", [
    ("0", "negative", "-9", False, False),
    ("15", "negative", "-9", False, False),  # a quarter of the threshold or less: the full −9 %
    ("37.5", "negative", "-4.5", False, False),  # halfway from 15 to 60: −9 × 22.5/45
    ("59.99", "negative", "-0.002", False, False),  # −9 × 0.01/45
    ("60", "neutral", "0", True, False),  # the threshold: neutral
    ("80", "positive", "4.5", True, False),  # 9 × 20/40, before budget-neutrality scaling
    ("84.99", "positive", "5.62275", True, False),
    ("85", "positive", "5.625", True, True),  # exceptional from 85
    ("100", "positive", "9", True, True),
])
def test_payment_adjustment_band(rules, score, direction, percent, meets, exceptional):
    adjustment = services.payment_adjustment_compute(final_score=D(score), rules=rules)
    assert (adjustment.direction, adjustment.meets_threshold, adjustment.exceptional) == (direction, meets, exceptional)
    assert adjustment.percent == D(percent)


def test_measure_score_rows_keep_their_order_when_marked(rules):
    scores = [_score("134", "3"), _score("217", "9")]
    quality = services.quality_score_compute(scores=scores, is_small=False, rules=rules)
    assert [s.measure.measure_id for s in quality.measures] == ["217", "134"]
    assert all(dataclasses.is_dataclass(s) for s in quality.measures)


def test_worked_example_small_pt_practice(rules):
    """A small PT practice (PI exempt; Cost 0 % in 2021 → Quality 85 %, IA 15 %) with data for Jan 1 – Jun 30.

    Current, per measure (deciles as read from the package, see DECILES and the comments):
      182  200 cases, 199/200 met = 99.5 %; 98.57 ≤ 99.5 < 99.59 → 3 + 0.93/1.02            = 3.9118
      217   60 cases, 50 reported (83.3 %), 30/50 = 60 %; 56.67 ≤ 60 < 61.05 → 6 + 3.33/4.38 = 6.7603
      134  100 cases, 80 %; → 6 + 8.26/12.95                                              = 6.6378
      130  300 cases, 100 % → decile 10, topped out by program → capped                   = 7
      478   15 cases (< 20)                                                               = 3
      155   50 cases, 30 reported = 60 % completeness (< 70), small practice              = 3
      218   40 cases, 30/40 = 75 %; 218's bounds 69.23 ≤ 75 < 95.23 → 9 + 5.77/26           = 9.2219
    Required outcome slot: the best outcome measure, 218 (9.2219). Five best others: 130 (7), 217 (6.7603),
    134 (6.6378), 182 (3.9118), and 155/478 tie at 3 → 36.5318 achievement points.
    Bonus (not for the required 218): 217 outcome +2, 182 HP +1, 130 HP +1; 478 has < 20 cases, 155 misses
    completeness, 134 is not HP → 4 (under the cap of 6). Small-practice bonus 6.
    Quality = (36.5318 + 4 + 6) / 60 = 77.553 %. IA: IA_EPA_1 (high, 20) doubled for a small practice = 40 → 100 %
    (a medium activity without the 50 % participation tick does not count).
    Final = 77.553 × 0.85 + 100 × 0.15 = 65.920 + 15 = 80.92 → meets 60, positive: 9 × 20.92/40 = 4.707 %.

    Projected: factor 365/181 days = 2.01657; cases 403, 120, 201, 604, 30, 100, 80; completeness at least 70 %.
      478 now has 30 cases: 10/15 = 66.667 %; 478's bounds 61.97 ≤ 66.667 < 66.67 → 8 + 4.6967/4.7 = 8.9993
      155 now meets completeness: 20/30 = 66.7 % is below its decile 3 bound 85.88 → floor 3
      Others unchanged. Required 218 (9.2219); best five others 478 8.9993, 130 7, 217 6.7603, 134 6.6378,
      182 3.9118 → 42.5311. Bonus 217 +2, 478 +2, 182 +1, 130 +1, 155 +1 = 7 → capped 6. Small bonus 6.
    Quality = (42.5311 + 6 + 6) / 60 = 90.885 %. Final = 90.885 × 0.85 + 15 = 92.25 → exceptional (≥ 85);
    positive 9 × 32.25/40 = 7.25625 %.
    """
    import datetime

    from scores.models import ImprovementActivity

    enrollment = enrollment_create(is_small=True, pi_exempt=True)
    june = datetime.date(2021, 6, 30)
    for measure_id, counts in {
        "182": {"met": 199, "not_met": 1}, "217": {"met": 30, "not_met": 20, "not_reported": 10},
        "134": {"met": 80, "not_met": 20}, "130": {"met": 300}, "478": {"met": 10, "not_met": 5},
        "155": {"met": 20, "not_met": 10, "not_reported": 20}, "218": {"met": 30, "not_met": 10},
    }.items():
        aggregate_create(enrollment, measure_id, last=june, **counts)
    user = enrollment.submitted_by
    activity = ImprovementActivity.objects.get(year__year=2021, activity_id="IA_EPA_1")
    services.activity_attest(enrollment=enrollment, activity=activity, start_date=datetime.date(2021, 1, 1),
                             end_date=datetime.date(2021, 3, 31), group_participation=True, user=user)
    medium = ImprovementActivity.objects.filter(year__year=2021, weight="medium").first()
    services.activity_attest(enrollment=enrollment, activity=medium, start_date=datetime.date(2021, 4, 1),
                             end_date=datetime.date(2021, 6, 29), group_participation=False, user=user)

    report = services.enrollment_score_compute(enrollment=enrollment)

    now = {s.measure.measure_id: s for s in report.current.quality.measures}
    assert {m: round(float(s.points), 4) for m, s in now.items()} == {
        "182": 3.9118, "217": 6.7603, "134": 6.6378, "130": 7, "478": 3, "155": 3, "218": 9.2219}
    assert now["218"].required and {m for m, s in now.items() if not s.counted} == {"478"}
    assert float(report.current.quality.achievement) == pytest.approx(36.5318, abs=1e-4)
    assert (report.current.quality.bonus, report.current.quality.small_bonus) == (4, 6)
    assert float(report.current.quality.percent) == pytest.approx(77.553, abs=1e-3)
    assert (report.current.ia.points, report.current.ia.percent) == (40, 100)
    assert (report.current.weights.quality, report.current.weights.ia) == (85, 15)
    assert report.current.final == D("80.92")
    assert (report.current.adjustment.direction, report.current.adjustment.percent) == ("positive", D("4.707"))
    assert not report.current.adjustment.exceptional

    later = {s.measure.measure_id: s for s in report.projected.quality.measures}
    assert {m: s.data.cases for m, s in later.items()} == {
        "182": 403, "217": 120, "134": 201, "130": 604, "478": 30, "155": 100, "218": 80}
    assert round(float(later["478"].points), 4) == 8.9993 and later["155"].reason == Reason.FLOOR
    assert float(report.projected.quality.achievement) == pytest.approx(42.5311, abs=1e-4)
    assert (report.projected.quality.bonus_earned, report.projected.quality.bonus) == (7, 6)
    assert report.projected.final == D("92.25")
    assert report.projected.adjustment.exceptional and report.projected.adjustment.percent == D("7.25625")


def test_chosen_measures_replace_the_default_of_every_loaded_measure(rules):
    enrollment = enrollment_create()
    for measure_id in ("134", "182", "217"):
        aggregate_create(enrollment, measure_id, met=30, not_met=10)
    default = services.enrollment_score_compute(enrollment=enrollment)
    assert default.inputs.default_selection
    assert sorted(s.measure.measure_id for s in default.current.quality.measures) == ["134", "182", "217"]

    services.measure_selection_save(enrollment=enrollment, measures=[measure("134"), measure("217"), measure("226")])
    chosen = services.enrollment_score_compute(enrollment=enrollment)
    assert sorted(s.measure.measure_id for s in chosen.current.quality.measures) == ["134", "217"]
    assert [m.measure_id for m in chosen.inputs.selected_without_data] == ["226"]


def test_loaded_measure_ids_are_matched_as_cms_writes_them(rules):
    enrollment = enrollment_create()
    aggregate_create(enrollment, "1", met=30, not_met=10)  # "1" is CMS's "001"
    aggregate_create(enrollment, "9999", met=30, not_met=10)  # not a 2021 registry measure
    report = services.enrollment_score_compute(enrollment=enrollment)
    assert [s.measure.measure_id for s in report.current.quality.measures] == ["001"]
    assert report.inputs.unknown_ids == ["9999"]


def test_missing_setup_rows_count_as_no(rules):
    enrollment = enrollment_create(steps=False)
    aggregate_create(enrollment, "134", met=30, not_met=10)
    report = services.enrollment_score_compute(enrollment=enrollment)
    assert not (report.facts.is_small or report.facts.ia_doubled or report.facts.pi_exempt)
    assert (report.current.weights.quality, report.current.weights.pi) == (55, 30)  # PI not exempt
