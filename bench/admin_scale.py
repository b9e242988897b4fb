"""Benchmark 3: the staff set-up list (Django admin changelist of enrollments) at 1,000 and at 100,000 set-ups.

Timed in-process through the test client as a superuser: one warm-up request, then the median of REPEATS. The
statements of one more request are captured separately (capturing slows the request) with the slowest one named.
"""

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from bench.results import Results, median

REPEATS = 7
PAGES = {
    "changelist": "",
    "changelist_in_progress_filter": "?status=in_progress",
    "changelist_search": "?q=Practice+0500",
}


def staff_client() -> Client:
    """Return a test client signed in as a superuser."""
    user = User.objects.filter(email="staff@bench.example").first() or User.objects.create_superuser(
        "staff@bench.example", "bench staff passphrase 2021", first_name="Sam", last_name="Staff")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def timed(client: Client, url: str) -> tuple[float, int, tuple[float, str]]:
    """Return the median seconds of the page, its statement count, and its slowest statement (seconds, SQL start)."""
    assert client.get(url).status_code == 200, url
    seconds = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(url)
        seconds.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    return median(seconds), len(captured), (float(slowest["time"]), "…" + " ".join(slowest["sql"].split())[-200:])


def measure(client: Client, results: Results, *, label: str) -> dict:
    """Time each list page at the database's current size; return {page: (seconds, statements, slowest)}."""
    base = reverse("admin:practices_enrollment_changelist")
    measured = {}
    for name, query in PAGES.items():
        measured[name] = timed(client, base + query)
        seconds, statements, (slowest, sql) = measured[name]
        results.info(f"admin_{name}_ms_{label}", seconds * 1000)
        results.info(f"admin_{name}_queries_{label}", statements)
        results.info(f"admin_{name}_slowest_query_ms_{label}", slowest * 1000)
        if name == "changelist":
            results.info(f"admin_{name}_slowest_query_{label}", sql)
    return measured


def compare(results: Results, small: dict, large: dict) -> None:
    """Record the 100,000 ÷ 1,000 time ratio (target ≤ 1.5) and that the statement count does not grow."""
    for name in PAGES:
        ratio_name = "admin_changelist_time_100000_vs_1000" if name == "changelist" else f"admin_{name}_time_100000_vs_1000"
        if name == "changelist":
            results.check(ratio_name, large[name][0] / small[name][0], at_most=1.5)
            results.check("admin_changelist_queries_100000", large[name][1], equal_to=small[name][1])
        else:
            results.info(ratio_name, large[name][0] / small[name][0])
