"""Benchmark 2: SQL statements per wizard request, counted in-process while a set-up is walked through the pages.

The walk is the load generator's (bench.loadgen.walk), driven through Django's test client instead of HTTP. No
transaction surrounds the requests. A query is a statement that reads or writes (SELECT, INSERT, UPDATE, DELETE,
each with the set_config that pghistory sends with a tracked write); transaction control (BEGIN, COMMIT, ROLLBACK,
SAVEPOINT, RELEASE SAVEPOINT), which Django also logs, is counted apart and shown in the per-request line.
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import fixtures, loadgen
from bench.client import Page
from bench.results import Results

TARGET = 8


def is_transaction_control(sql: str) -> bool:
    """Return whether a logged statement only begins, ends or marks a transaction (after pghistory's prefix)."""
    if sql.startswith("SELECT set_config('pghistory.") and "; " in sql:
        sql = sql.split("; ", 1)[1]  # pghistory sends its context in front of the statement it tracks
    return sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT"))


class CountingBrowser:
    """The load generator's browser interface over the test client, logging (label, statements) per request."""

    def __init__(self, user):
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.client.force_login(user)
        self.log: list[tuple[str, int, int]] = []

    def get(self, path: str, label: str) -> Page:
        return self._request(label, lambda: self.client.get(path))

    def post(self, path: str, data: dict, label: str) -> Page:
        return self._request(label, lambda: self.client.post(path, data))

    def _request(self, label, send) -> Page:
        with CaptureQueriesContext(connection) as captured:
            response = send()
        control = sum(1 for q in captured.captured_queries if is_transaction_control(q["sql"]))
        self.log.append((label, len(captured) - control, control))
        location = response.get("Location", "") if response.status_code in (301, 302) else ""
        return Page(response.status_code, location, response.content.decode())


def measure(results: Results, *, label: str) -> None:
    """Walk one fresh set-up and record the most statements any step GET and any POST ran."""
    practices = fixtures.practice_count() + 1
    subject = fixtures.subject_create(f"queries-{practices}")
    browser = CountingBrowser(subject.user)
    loadgen.walk(browser, {"id": subject.enrollment.pk, "practice_id": subject.enrollment.practice_id})
    gets = [(lbl, n) for lbl, n, _s in browser.log if lbl.startswith("GET") and lbl != "GET summary"]
    posts = [(lbl, n) for lbl, n, _s in browser.log if lbl.startswith("POST")]
    results.info(f"queries_by_request_{label}_practices",
                 ", ".join(f"{lbl} {n} (+{c})" for lbl, n, c in browser.log) + "  [queries (+transaction control)]")
    results.check(f"queries_per_wizard_get_{label}_practices", max(n for _l, n in gets), at_most=TARGET)
    results.check(f"queries_per_wizard_post_{label}_practices", max(n for _l, n in posts), at_most=TARGET)
    step_posts = [n for lbl, n in posts if lbl != "POST waiver"]
    results.info(f"queries_per_step_post_before_submission_{label}_practices", max(step_posts))
