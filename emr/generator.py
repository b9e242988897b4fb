"""A realistic, seeded WebPT quality-data export for demos and benchmarks, written row by row (flat memory at any size)."""

import csv
import datetime
import random
from collections.abc import Iterator
from pathlib import Path

from emr.rules import COLUMNS, npi_check_digit

QUARTERS = 4

# How often each measure is recorded at a visit, and its outcome mix: (met, not met, exclusion, exception, not reported).
# Plausible for an outpatient PT clinic: medications (#130) every visit, functional outcome (#182) most visits,
# screenings (#134, #155, #226) at intake, and one body-part functional status (#217 knee, #220 low back,
# #221 shoulder) per episode.
MEASURE_MIX = {
    "130": (1.00, (0.90, 0.04, 0.00, 0.02, 0.04)),
    "182": (0.60, (0.80, 0.08, 0.02, 0.03, 0.07)),
    "226": (0.30, (0.85, 0.05, 0.00, 0.03, 0.07)),
    "134": (0.20, (0.65, 0.15, 0.08, 0.05, 0.07)),
    "155": (0.25, (0.70, 0.12, 0.00, 0.08, 0.10)),
}
BODY_PART_MEASURES = ("217", "220", "221")
BODY_PART_RATE = 0.30
BODY_PART_OUTCOMES = (0.55, 0.25, 0.10, 0.00, 0.10)
OUTCOME_NAMES = ("performance_met", "performance_not_met", "denominator_exclusion", "denominator_exception", "not_reported")
BAD_KINDS = (
    "npi_check_digit", "date_outside_year", "unknown_measure", "unknown_outcome", "empty_encounter",
    "duplicate", "malformed_date", "missing_column", "patient_id_too_long",
)


def npi_random(rng: random.Random) -> str:
    """Return a random NPI with a valid check digit (first digit 1, like most individual NPIs)."""
    base = "1" + "".join(rng.choice("0123456789") for _ in range(8))
    return base + str(npi_check_digit(base))


def _outcome(rng: random.Random, weights: tuple[float, ...]) -> str:
    return rng.choices(OUTCOME_NAMES, weights)[0]


def _good_rows(rng: random.Random, *, rows: int, year: int, npis: list[str], seed: int) -> Iterator[list[str]]:
    """Yield measure rows visit by visit, dates advancing through the year (de-identified patient keys)."""
    start = datetime.date(year, 1, 1)
    days = (datetime.date(year + 1, 1, 1) - start).days
    patients = max(1, rows // 12)
    emitted = 0
    visit = 0
    while True:
        visit += 1
        day = start + datetime.timedelta(days=min(days - 1, emitted * days // max(rows, 1)))
        if day.weekday() == 6:  # clinics are closed on Sundays
            day -= datetime.timedelta(days=1) if day > start else -datetime.timedelta(days=1)
        patient = f"PT{(rng.randrange(patients) * 2654435761 + seed) % 16**10:010x}"
        encounter = f"V{seed % 1000:03d}-{visit:09d}"
        npi = rng.choice(npis)
        for measure, (rate, weights) in MEASURE_MIX.items():
            if rng.random() < rate:
                emitted += 1
                yield [encounter, day.isoformat(), patient, npi, measure, _outcome(rng, weights)]
        if rng.random() < BODY_PART_RATE:
            emitted += 1
            yield [encounter, day.isoformat(), patient, npi, rng.choice(BODY_PART_MEASURES), _outcome(rng, BODY_PART_OUTCOMES)]


def _bad_row(kind: str, good: list[str], previous: list[str] | None, year: int) -> list[str]:
    """Return the good row spoilt in one way (a duplicate repeats the previous row's encounter and measure)."""
    row = list(good)
    if kind == "npi_check_digit":
        row[3] = row[3][:9] + str((int(row[3][9]) + 1) % 10)
    elif kind == "date_outside_year":
        row[1] = f"{year - 1}-12-31"
    elif kind == "unknown_measure":
        row[4] = "999"
    elif kind == "unknown_outcome":
        row[5] = "met"
    elif kind == "empty_encounter":
        row[0] = ""
    elif kind == "duplicate":
        row = list(previous) if previous is not None else row[:5]
    elif kind == "malformed_date":
        row[1] = datetime.date.fromisoformat(row[1]).strftime("%m/%d/%Y")
    elif kind == "missing_column":
        row = row[:5]
    else:
        row[2] = "P" * 65
    return row


def export_generate(*, tin: str, year: int, rows: int, seed: int, bad_rows: int, clinicians: int,
                    out_dir: Path) -> list[Path]:
    """Write `rows` rows (of which `bad_rows` are deliberately bad) to out_dir/<tin>/<year>/, one file per quarter."""
    rng = random.Random(seed)
    npis = [npi_random(rng) for _ in range(clinicians)]
    bad_at = set(rng.sample(range(rows), bad_rows))
    target = Path(out_dir) / tin / str(year)
    target.mkdir(parents=True, exist_ok=True)
    good = _good_rows(rng, rows=rows, year=year, npis=npis, seed=seed)
    previous = None
    spoilt = 0
    paths = []
    for quarter in range(QUARTERS):
        path = target / f"quality-export-{year}-Q{quarter + 1}.csv"
        temporary = path.with_suffix(".csv.part")  # a loader never sees a half-written file: *.csv only
        with temporary.open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(COLUMNS)
            for index in range(quarter * rows // QUARTERS, (quarter + 1) * rows // QUARTERS):
                row = next(good)
                if index in bad_at:
                    row = _bad_row(BAD_KINDS[spoilt % len(BAD_KINDS)], row, previous, year)
                    spoilt += 1
                else:
                    previous = row
                writer.writerow(row)
        temporary.replace(path)
        paths.append(path)
    return paths
