"""`load_qpp_data` fills the year's tables from CMS's package and the rules file, and a second run changes nothing."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from scores.models import Benchmark, CategoryWeights, ImprovementActivity, QualityMeasure, ScoringYear

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        model.__name__: sorted((tuple(sorted(model_to_dict(row).items(), key=str)) for row in model.objects.all()), key=str)
        for model in (QualityMeasure, Benchmark, ImprovementActivity, ScoringYear, CategoryWeights)
    }


def test_load_twice_leaves_the_same_rows(rules):
    before = _snapshot()
    call_command("load_qpp_data", "--year", "2021", verbosity=0)
    call_command("load_qpp_data", "--year", "2021", verbosity=0)
    assert _snapshot() == before


def test_load_takes_every_registry_measure_activity_and_registry_benchmark_from_the_package(rules, settings):
    data_dir = settings.QPP_MEASURES_DATA_DIR
    items = json.loads((data_dir / "measures" / "2021" / "measures-data.json").read_text())
    benchmarks = json.loads((data_dir / "benchmarks" / "2021.json").read_text())
    registry = {i["measureId"] for i in items if i["category"] == "quality" and "registry" in i["submissionMethods"]}
    assert set(QualityMeasure.objects.filter(year__year=2021).values_list("measure_id", flat=True)) == registry
    assert ImprovementActivity.objects.filter(year__year=2021).count() == sum(i["category"] == "ia" for i in items)
    registry_benchmarks = {b["measureId"]: b for b in benchmarks if b["submissionMethod"] == "registry"}
    assert Benchmark.objects.count() == len(registry_benchmarks)
    stored = Benchmark.objects.select_related("measure").get(measure__measure_id="130")
    assert [float(d) for d in stored.deciles] == registry_benchmarks["130"]["deciles"]
    assert stored.is_topped_out_by_program is registry_benchmarks["130"]["isToppedOutByProgram"]


def test_load_restores_an_edited_row(rules):
    QualityMeasure.objects.filter(measure_id="182", year__year=2021).update(title="typed by hand")
    call_command("load_qpp_data", "--year", "2021", verbosity=0)
    assert QualityMeasure.objects.get(measure_id="182", year__year=2021).title == "Functional Outcome Assessment"


def test_load_refuses_a_year_without_rules(rules):
    with pytest.raises(CommandError, match="no scoring rules for 2022"):
        call_command("load_qpp_data", "--year", "2022", verbosity=0)


def test_rules_of_2021_come_from_the_rules_file(rules):
    assert (rules.performance_threshold, rules.exceptional_threshold, rules.data_completeness_percent) == (60, 85, 70)
    assert rules.cost_reweighted_for_all is True
    unsure = {(w.quality, w.cost, w.ia, w.pi) for w in rules.weights.all() if not w.verified}
    assert unsure == {(70, 0, 0, 30), (80, 20, 0, 0), (0, 50, 50, 0)}
