"""Benchmark 4: the EMR data load of 1,000,000 rows against a plain COPY of the same files, and its memory.

The loader runs in a child process (bench/loadchild.py) through the real service, emr.services.data_load_run, which
is what the queued task calls; the child reports its own peak resident memory (VmHWM). The baseline is COPY of the same
CSV files, sent the same way (from this process, over the socket), into a bare table with the events' column
types and nothing else: no key, no partition, no checks. Each side runs RUNS times, interleaved; the fastest counts.
Exports are generated once (seeded) into var/bench/emr-exports and reused while the generator is unchanged.
"""

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from bench import fixtures, loadgen, processes
from bench.results import Results
from emr import generator
from emr.services import data_load_queue
from onboarding import selectors, services
from practices.models import Enrollment

SIZES = {1_000_000: "981000001", 100_000: "981000002"}  # rows: the practice's TIN (prefix 98, an IRS campus prefix)
SEED = 2021
BARE_TABLE = "bench_copy_baseline"
RUNS = 3


def export_files(rows: int, tin: str) -> list[Path]:
    """Return the export's CSV files, generating them unless this generator already made them with these options."""
    directory = Path(settings.EMR_EXPORT_DIR) / tin / str(loadgen.YEAR)
    stamp = f"{rows} {SEED} {hashlib.sha256(Path(generator.__file__).read_bytes()).hexdigest()}"
    marker = directory / ".bench-generated"
    if not (marker.is_file() and marker.read_text() == stamp):
        call_command("generate_emr_export", tin=tin, year=loadgen.YEAR, rows=rows, seed=SEED, force=True,
                     out=Path(settings.EMR_EXPORT_DIR), stdout=open("/dev/null", "w"))
        marker.write_text(stamp)
    return sorted(directory.glob("*.csv"))


def enrollment_with_tin(tin: str) -> Enrollment:
    """Create a submitted-looking set-up whose TIN points the file source at the export."""
    subject = fixtures.subject_create(f"loader-{tin}")
    loaded = selectors.enrollment_with_steps(Enrollment.objects.all(), pk=subject.enrollment.pk)
    services.onboarding_step_save(enrollment=loaded, step="tin", data={"tin_type": "ein", "tin": tin}, user=subject.user)
    return loaded


def loader_run(enrollment: Enrollment) -> dict:
    """Queue the enrollment's load and run the attempt in a child process; return what the child measured."""
    load = data_load_queue(enrollment=enrollment)
    with (processes.VAR / "loader.log").open("ab") as log:
        out = subprocess.run([sys.executable, "-m", "bench.loadchild", str(load.pk), str(load.queue_token)],
                             cwd=processes.ROOT, stdout=subprocess.PIPE, stderr=log, text=True, timeout=900)
    measured = json.loads(out.stdout) if out.returncode == 0 and out.stdout else {"outcome": f"exit {out.returncode}"}
    return measured


def copy_baseline(files: list[Path]) -> float:
    """Return the seconds a plain COPY of the files into a bare table takes, commit included."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        cursor.execute(f'CREATE TABLE {BARE_TABLE} (encounter_id varchar(64) COLLATE "C", date_of_service date, '
                       f'patient_id varchar(64), clinician_npi varchar(10), measure_id varchar(20) COLLATE "C", '
                       f"outcome varchar(25))")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for path in files:
            with path.open("rb") as file:
                cursor.copy_expert(f"COPY {BARE_TABLE} FROM STDIN WITH (FORMAT csv, HEADER true)", file, 1 << 20)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {BARE_TABLE}")
    return seconds


def measure(results: Results) -> None:
    """Run benchmark 4 and record its figures."""
    big, small = (1_000_000, 100_000)
    files = {rows: export_files(rows, tin) for rows, tin in SIZES.items()}
    enrollments = {rows: enrollment_with_tin(tin) for rows, tin in SIZES.items()}
    copies, loads = [], []
    for _attempt in range(RUNS):
        copies.append(copy_baseline(files[big]))
        loads.append(loader_run(enrollments[big]))
    loads_small = [loader_run(enrollments[small])]
    failed = [m for m in loads + loads_small if m.get("outcome") != "succeeded"]
    if failed:
        results.fail(f"the data load did not succeed: {failed[0]}; see var/bench/loader.log")
        return
    best = min(loads, key=lambda m: m["seconds"])
    results.info("copy_rows_per_s_1000000", big / min(copies))
    results.info("loader_rows_per_s_1000000", big / best["seconds"])
    results.check("loader_vs_copy_rows_per_s", min(copies) / best["seconds"], at_least=0.5)
    results.info("loader_phase_seconds_1000000", best.get("phases", ""))
    results.info("loader_peak_rss_mb_1000000", max(m["maxrss_kb"] for m in loads) / 1024)
    results.info("loader_peak_rss_mb_100000", loads_small[0]["maxrss_kb"] / 1024)
    results.info("loader_rss_growth_mb_1000000", max(m["maxrss_kb"] - m["start_rss_kb"] for m in loads) / 1024)
    results.info("loader_rss_growth_mb_100000", (loads_small[0]["maxrss_kb"] - loads_small[0]["start_rss_kb"]) / 1024)
    results.check("loader_peak_memory_1000000_vs_100000",
                  max(m["maxrss_kb"] for m in loads) / loads_small[0]["maxrss_kb"], at_most=1.2)
