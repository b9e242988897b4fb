"""`generate_emr_export`: a realistic export with exactly the bad rows asked for."""

import csv
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from emr.parsing import ExportReader, LoadTally
from emr.rules import COLUMNS, npi_is_valid
from emr.sources import ExportFile


def generated_files(out, tin="461234567"):
    return [ExportFile(name=p.name, path=p) for p in sorted((out / tin / "2021").glob("*.csv"))]


def test_generates_quarterly_files_with_the_rows_and_bad_rows_asked_for(tmp_path):
    call_command("generate_emr_export", "--tin", "46-1234567", "--year", "2021", "--rows", "5000", "--seed", "7",
                 "--bad-rows", "18", "--out", str(tmp_path), stdout=open("/dev/null", "w"))
    files = generated_files(tmp_path)
    assert [f.name for f in files] == [f"quality-export-2021-Q{q}.csv" for q in (1, 2, 3, 4)]
    tally = LoadTally(keep=100)
    copied = b"".join(ExportReader(year=2021, tally=tally).chunks(files)).decode().splitlines()
    assert tally.rows == 5000
    # 2 of the 18 are repeats of the previous row, which only the database step finds.
    assert tally.bad == 16 and len(copied) == 4984
    with files[0].path.open(newline="") as file:
        assert tuple(next(csv.reader(file))) == COLUMNS
    npis = {row.split(",")[5] for row in copied}
    assert len(npis) == 8 and all(npi_is_valid(npi) for npi in npis)  # --clinicians defaults to 8


def test_the_outcome_mix_is_plausible(tmp_path):
    call_command("generate_emr_export", "--tin", "461234567", "--year", "2021", "--rows", "4000", "--seed", "1",
                 "--out", str(tmp_path), stdout=open("/dev/null", "w"))
    outcomes = Counter()
    measures = set()
    for file in generated_files(tmp_path):
        with file.path.open(newline="") as handle:
            for row in list(csv.DictReader(handle)):
                outcomes[row["outcome"]] += 1
                measures.add(row["measure_id"])
    assert measures == {"182", "217", "220", "221", "134", "130", "155", "226"}
    assert outcomes["performance_met"] > outcomes["performance_not_met"] > 0
    assert all(outcomes[o] > 0 for o in ("denominator_exclusion", "denominator_exception", "not_reported"))


def test_the_same_seed_gives_the_same_export(tmp_path):
    for out in ("a", "b"):
        call_command("generate_emr_export", "--tin", "461234567", "--year", "2021", "--rows", "500", "--seed", "3",
                     "--bad-rows", "4", "--out", str(tmp_path / out), stdout=open("/dev/null", "w"))
    first, second = generated_files(tmp_path / "a"), generated_files(tmp_path / "b")
    assert [f.path.read_bytes() for f in first] == [f.path.read_bytes() for f in second]


def test_existing_files_are_kept_unless_forced(tmp_path):
    args = ["generate_emr_export", "--tin", "461234567", "--year", "2021", "--rows", "10", "--out", str(tmp_path)]
    call_command(*args, stdout=open("/dev/null", "w"))
    with pytest.raises(CommandError, match="already there"):
        call_command(*args)
    call_command(*args, "--force", "--rows", "20", stdout=open("/dev/null", "w"))


def test_a_tin_that_is_not_nine_digits_is_refused(tmp_path):
    with pytest.raises(CommandError, match="9 digits"):
        call_command("generate_emr_export", "--tin", "12345", "--year", "2021", "--out", str(tmp_path))


@pytest.mark.django_db
def test_seed_demo_generates_the_demo_practices_export_once(tmp_path, settings):
    from io import StringIO

    from practices.management.commands.seed_demo import DEMO_TIN

    settings.EMR_EXPORT_DIR = tmp_path
    out = StringIO()
    call_command("seed_demo", stdout=out)
    files = generated_files(tmp_path, tin=DEMO_TIN.replace("-", ""))
    assert len(files) == 4
    assert "type the TIN 46-1234567 in the set-up wizard" in out.getvalue()
    before = [f.path.stat().st_mtime_ns for f in files]
    call_command("seed_demo", stdout=StringIO())
    assert [f.path.stat().st_mtime_ns for f in generated_files(tmp_path, tin="461234567")] == before
