"""Benchmark 3: the staff set-up list (Django admin changelist of enrollments) at 1,000 and at 100,000 set-ups.

When the benchmark database holds 1,000 set-ups it is copied (CREATE DATABASE ... TEMPLATE) to a second database;
the first then grows to 100,000. The two sizes are then timed in alternation, seconds apart, by pointing Django's
connection at one database and then the other, so the shared machine's swings fall on both alike. Each round times
each size as the fastest of a few requests (in-process, test client, a superuser; other load only ever adds time);
a figure is the median of the rounds' ratios. The statements of one more request per size are captured separately
(capturing slows a request), with the slowest one shown.
"""

import time

import psycopg2
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.tests.mfa import verified_staff_client
from bench.database import maintenance_sql
from bench.results import Results, median

ROUNDS = 5
REPEATS = 3
PAGES = {
    "changelist": "",
    "changelist_in_progress_filter": "?status=in_progress",
    "changelist_search": "?q=Practice+0500",
}
SMALL_SUFFIX = "_1000"
COPY_ATTEMPTS = 10


def staff_client() -> Client:
    """Return a test client signed in as a superuser past its second factor (session and device rows are copied with the database)."""
    user = User.objects.filter(email="staff@bench.example").first() or User.objects.create_superuser(
        "staff@bench.example", "bench staff passphrase 2021", first_name="Sam", last_name="Staff")
    # Staff pages need a second factor: the session is marked as having passed it (device row copied too).
    return verified_staff_client(user, Client(HTTP_HOST="127.0.0.1"))


def small_copy_make() -> str:
    """Copy the benchmark database as it is now (1,000 set-ups); return the copy's name."""
    name = connection.settings_dict["NAME"]
    connection.close()  # PostgreSQL copies a database only while nobody is connected to it
    maintenance_sql(f'DROP DATABASE IF EXISTS "{name}{SMALL_SUFFIX}" WITH (FORCE)')
    for attempt in range(COPY_ATTEMPTS):  # gunicorn's workers may still be closing their connections
        try:
            maintenance_sql(f'CREATE DATABASE "{name}{SMALL_SUFFIX}" TEMPLATE "{name}"')
            break
        except psycopg2.errors.ObjectInUse:
            if attempt == COPY_ATTEMPTS - 1:
                raise
            time.sleep(1)
    return name + SMALL_SUFFIX


def use(database: str) -> None:
    """Point Django's default connection at another database (it reconnects on the next query)."""
    connection.close()
    connection.settings_dict["NAME"] = database


def fastest(client: Client, url: str) -> float:
    """Return the fastest of REPEATS requests for the page, after one warm-up."""
    assert client.get(url).status_code == 200, url
    seconds = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(url)
        seconds.append(time.perf_counter() - started)
    return min(seconds)


def statements(client: Client, url: str) -> tuple[int, float, str]:
    """Return the page's statement count and its slowest statement (seconds, the SQL's end)."""
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    return len(captured), float(slowest["time"]), "…" + " ".join(slowest["sql"].split())[-200:]


def measure(client: Client, results: Results, *, small: str) -> None:
    """Time every page at both sizes in alternation and record the figures; drop the small copy afterwards."""
    large = connection.settings_dict["NAME"]
    base = reverse("admin:practices_enrollment_changelist")
    try:
        for name, query in PAGES.items():
            _page(client, results, name, base + query, {"1000": small, "100000": large})
    finally:
        use(large)
        maintenance_sql(f'DROP DATABASE IF EXISTS "{small}" WITH (FORCE)')


def _page(client: Client, results: Results, name: str, url: str, databases: dict[str, str]) -> None:
    times = {label: [] for label in databases}
    for _round in range(ROUNDS):
        for label, database in databases.items():
            use(database)
            times[label].append(fastest(client, url))
    counts = {}
    for label, database in databases.items():
        use(database)
        counts[label], slowest, sql = statements(client, url)
        results.info(f"admin_{name}_ms_{label}", median(times[label]) * 1000)
        results.info(f"admin_{name}_queries_{label}", counts[label])
        results.info(f"admin_{name}_slowest_query_ms_{label}", slowest * 1000)
        results.info(f"admin_{name}_slowest_query_{label}", sql)
    ratio = median([b / a for a, b in zip(times["1000"], times["100000"])])
    if name == "changelist":
        results.check("admin_changelist_time_100000_vs_1000", ratio, at_most=1.5)
        results.check("admin_changelist_queries_100000", counts["100000"], equal_to=counts["1000"])
    else:
        results.info(f"admin_{name}_time_100000_vs_1000", ratio)
