"""Load a year's quality measures, improvement activities and registry benchmarks from CMS's qpp-measures-data
package, and the year's scoring rules from `scores/rules/scoring_years.json`. Idempotent: a second run changes nothing."""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from practices.models import PerformanceYear
from scores.models import Benchmark, CategoryWeights, ImprovementActivity, QualityMeasure, ScoringYear

SUBMISSION_METHOD = "registry"  # the portal reports as a registry (MIPS CQMs), so only registry benchmarks apply
RULES_FILE = Path(__file__).resolve().parent / "rules" / "scoring_years.json"
CATEGORIES = ("quality", "cost", "ia", "pi")


class QppDataError(Exception):
    """The package or the rules file lacks what the year needs."""


@dataclass(frozen=True)
class LoadCounts:
    measures: int
    benchmarks: int
    activities: int
    weights: int


def _read_json(path: Path):
    if not path.is_file():
        raise QppDataError(f"{path} is missing; run `npm ci` to install qpp-measures-data.")
    return json.loads(path.read_text(encoding="utf-8"))


def _measure_row(year: PerformanceYear, item: dict) -> QualityMeasure:
    return QualityMeasure(
        year=year,
        measure_id=item["measureId"],
        title=item["title"][:500],
        measure_type=item.get("measureType") or "",
        metric_type=item.get("metricType") or "",
        is_high_priority=bool(item.get("isHighPriority")),
        is_inverse=bool(item.get("isInverse")),
        measure_sets=item.get("measureSets") or [],
        submission_methods=item.get("submissionMethods") or [],
        strata=[s["name"] for s in item.get("strata") or [] if s.get("name")],
    )


def _activity_row(year: PerformanceYear, item: dict) -> ImprovementActivity:
    return ImprovementActivity(
        year=year,
        activity_id=item["measureId"],
        title=item["title"][:500],
        description=item.get("description") or "",
        weight=item.get("weight") or "",
        subcategory=item.get("subcategoryId") or "",
    )


def _load_measures(year: PerformanceYear, items: list[dict]) -> dict[str, QualityMeasure]:
    rows = [_measure_row(year, i) for i in items if i["category"] == "quality" and SUBMISSION_METHOD in (i.get("submissionMethods") or [])]
    QualityMeasure.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["year", "measure_id"],
        update_fields=["title", "measure_type", "metric_type", "is_high_priority", "is_inverse", "measure_sets",
                       "submission_methods", "strata"],
    )
    ids = [r.measure_id for r in rows]
    QualityMeasure.objects.filter(year=year, selections__isnull=True).exclude(measure_id__in=ids).delete()
    return {m.measure_id: m for m in QualityMeasure.objects.filter(year=year)}


def _load_benchmarks(measures: dict[str, QualityMeasure], items: list[dict], year: int) -> int:
    rows = [
        Benchmark(
            measure=measures[b["measureId"]], submission_method=SUBMISSION_METHOD, benchmark_year=b["benchmarkYear"],
            deciles=[Decimal(str(d)) for d in b["deciles"]], is_topped_out=bool(b.get("isToppedOut")),
            is_topped_out_by_program=bool(b.get("isToppedOutByProgram")),
        )
        for b in items
        if b["submissionMethod"] == SUBMISSION_METHOD and b["performanceYear"] == year and b["measureId"] in measures
    ]
    Benchmark.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["measure"],
        update_fields=["submission_method", "benchmark_year", "deciles", "is_topped_out", "is_topped_out_by_program"],
    )
    Benchmark.objects.filter(measure__year__year=year).exclude(measure__in=[r.measure for r in rows]).delete()
    return len(rows)


def _load_activities(year: PerformanceYear, items: list[dict]) -> int:
    rows = [_activity_row(year, i) for i in items if i["category"] == "ia"]
    ImprovementActivity.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["year", "activity_id"],
        update_fields=["title", "description", "weight", "subcategory"],
    )
    ImprovementActivity.objects.filter(year=year, attestations__isnull=True).exclude(
        activity_id__in=[r.activity_id for r in rows]
    ).delete()
    return len(rows)


def _load_rules(year: PerformanceYear, rules: dict) -> int:
    rules = dict(rules)
    weights = rules.pop("weights")
    scoring, _ = ScoringYear.objects.update_or_create(year=year, defaults=rules)
    kept = []
    for row in weights:
        flags = {f"{c}_reweighted": c in row["reweighted"] for c in CATEGORIES}
        values = {c: row[c] for c in CATEGORIES} | {"verified": row["verified"], "note": row.get("note", "")}
        weights_row, _ = CategoryWeights.objects.update_or_create(
            scoring_year=scoring, small_practice=row.get("small_practice"), **flags, defaults=values
        )
        kept.append(weights_row.pk)
    scoring.weights.exclude(pk__in=kept).delete()
    return len(kept)


def qpp_data_load(*, year: int, data_dir: Path | None = None, rules_file: Path = RULES_FILE) -> LoadCounts:
    """Load the year's measures, registry benchmarks, activities and scoring rules; return how many of each."""
    data_dir = Path(data_dir or settings.QPP_MEASURES_DATA_DIR)
    items = _read_json(data_dir / "measures" / str(year) / "measures-data.json")
    benchmarks = _read_json(data_dir / "benchmarks" / f"{year}.json")
    all_rules = _read_json(rules_file)
    if str(year) not in all_rules:
        raise QppDataError(f"{rules_file.name} has no scoring rules for {year}; add them before loading the year.")
    performance_year = PerformanceYear.objects.filter(year=year).first()
    if performance_year is None:
        raise QppDataError(f"Performance year {year} does not exist; create it in admin first.")
    with transaction.atomic():
        measures = _load_measures(performance_year, items)
        benchmark_count = _load_benchmarks(measures, benchmarks, year)
        activity_count = _load_activities(performance_year, items)
        weight_count = _load_rules(performance_year, all_rules[str(year)])
    return LoadCounts(measures=len(measures), benchmarks=benchmark_count, activities=activity_count, weights=weight_count)
