"""`python -m bench.runner [benchmark ...]`: run the benchmarks (all five by default) against a fresh database.

Run through bench/run.sh (`make bench`), which sets the production environment. The database named by DATABASE_URL
is dropped and created again, so its name must contain "bench". The database grows as the run goes on: the
queries benchmark first runs with 10 practices, the wizard load adds about five hundred, a copy is kept at 1,000
for the admin benchmark, and then the queries and the admin (against that copy) run at 100,000 practices.
"""

import os
import sys
import time
import traceback

from bench import database

ALL = ("wizard", "queries", "admin", "data_load", "queue")


def prepare() -> None:
    """Create and migrate the database, and collect static files (the production storage needs their manifest)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def run(selected: tuple[str, ...]) -> int:
    """Run the selected benchmarks in their fixed order; return the exit status."""
    from bench import admin_scale, data_load, fixtures, queries, queue_latency, wizard_load
    from bench.results import Results

    results = Results()
    results.write()  # no figures from an earlier run are left behind
    template = fixtures.subject_create("template")
    fixtures.setup_prefill(template.enrollment, template.user)
    if "queries" in selected:
        fixtures.practices_create(names=[f"Neighbour {i}" for i in range(10 - fixtures.practice_count() - 1)])
        attempt(results, "queries", lambda: queries.measure(results, label="10"))
    if "wizard" in selected:
        attempt(results, "wizard", lambda: wizard_load.measure(results))
    if "admin" in selected:
        fixtures.scale_to(1_000, template=template.enrollment)
        staff = admin_scale.staff_client()
        small_copy = admin_scale.small_copy_make()
    if {"queries", "admin"} & set(selected):
        fixtures.scale_to(100_000 - 1, template=template.enrollment)  # the queries' own practice is the 100,000th
    if "queries" in selected:
        attempt(results, "queries", lambda: queries.measure(results, label="100000"))
    if "admin" in selected:
        attempt(results, "admin", lambda: admin_scale.measure(staff, results, small=small_copy))
    if "data_load" in selected:
        attempt(results, "data_load", lambda: data_load.measure(results))
    if "queue" in selected:
        attempt(results, "queue", lambda: queue_latency.measure(results))
    print(f"Wrote {len(results.figures)} figures to bench/results.json.", flush=True)
    return 1 if results.failures else 0


def attempt(results, name: str, benchmark) -> None:
    """Run one benchmark; if it breaks, say so (traceback on stderr) and go on with the next."""
    try:
        benchmark()
    except Exception as error:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
        traceback.print_exc()
        results.fail(f"{name} benchmark stopped: {error.__class__.__name__}: {error}")


def main() -> int:
    selected = tuple(sys.argv[1:]) or ALL
    unknown = set(selected) - set(ALL)
    if unknown:
        sys.exit(f"Unknown benchmark(s): {', '.join(sorted(unknown))}. Choose from: {', '.join(ALL)}.")
    started = time.monotonic()
    database.database_recreate(os.environ["DATABASE_URL"])
    import django

    django.setup()
    prepare()
    status = run(selected)
    print(f"Benchmarks took {time.monotonic() - started:.0f} s.", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
