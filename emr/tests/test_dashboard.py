"""The practice dashboard shows the load's status, progress, bad rows and times, and refreshes while it runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from emr.models import DataLoad, RejectedRow
from emr.tests.conftest import TIN, TIN_DASHED

pytestmark = pytest.mark.django_db
# Never a timed reload (WCAG 2.2.1): a script refreshes the panel, and without it a link does.
REFRESH_LINK = "Refresh this page"


@pytest.fixture
def dashboard_html(client, enrollment, administrator):
    client.force_login(administrator)

    def get():
        response = client.get(f"/years/2021/practices/{enrollment.practice_id}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert TIN not in html and TIN_DASHED not in html
        return html
    return get


def load(enrollment, **fields) -> DataLoad:
    now = timezone.now()
    return DataLoad.objects.create(enrollment=enrollment, queued_at=now - timedelta(minutes=2), **fields)


def test_no_load_section_before_anything_is_queued(dashboard_html):
    assert 'id="data-load"' not in dashboard_html()


def test_a_queued_load_says_so_and_refreshes(dashboard_html, enrollment):
    load(enrollment, status="queued")
    html = dashboard_html()
    assert "Your data load is queued and will start shortly." in html
    assert REFRESH_LINK in html and 'data-load-active="true"' in html and "js/emr-load" in html
    assert 'http-equiv="refresh"' not in html


def test_a_load_waiting_to_retry_says_when(dashboard_html, enrollment):
    load(enrollment, status="queued", attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=1),
         last_error="OperationalError")
    html = dashboard_html()
    assert "Loading paused after a temporary problem; it will try again after" in html
    assert "(attempt 2)" in html and "OperationalError" not in html


def test_a_running_load_shows_a_progress_bar_with_rows(dashboard_html, enrollment):
    load(enrollment, status="running", started_at=timezone.now(), queue_token="6f1c5d0e-8d7c-4b1a-9d7e-0f7c1b2a3c4d",
         rows_total=20000, rows_done=5000, bad_rows=3)
    html = dashboard_html()
    assert "Loading your quality data…" in html
    assert '<progress id="data-load-progress" class="portal-progress" max="20000" value="5000">25%</progress>' in html
    assert "5,000 of 20,000 rows (25%)" in html
    assert '<th scope="row">Rows set aside (bad rows)</th><td>3</td>' in html
    assert REFRESH_LINK in html and 'http-equiv="refresh"' not in html


def test_a_running_load_without_a_total_yet_shows_rows_so_far(dashboard_html, enrollment):
    load(enrollment, status="running", started_at=timezone.now(), queue_token="6f1c5d0e-8d7c-4b1a-9d7e-0f7c1b2a3c4d",
         rows_done=0)
    assert "0 rows so far" in dashboard_html()


def test_a_finished_load_shows_counts_times_and_the_bad_rows_without_refreshing(dashboard_html, enrollment):
    done = load(enrollment, status="succeeded", started_at=timezone.now(), finished_at=timezone.now(),
                rows_total=7, rows_done=7, rows_loaded=5, bad_rows=2)
    RejectedRow.objects.create(data_load=done, file_name="q1.csv", line=4, reason="measure_id '999' is not one of the supported quality measures")
    RejectedRow.objects.create(data_load=done, file_name="q2.csv", line=9, reason="encounter_id is empty")
    html = dashboard_html()
    assert "Your quality data is loaded: 5 rows." in html
    assert "7 of 7 rows (100%)" in html
    assert '<td data-label="File">q1.csv</td><td data-label="Line">4</td>' in html
    assert "measure_id &#x27;999&#x27; is not one of the supported quality measures" in html
    assert REFRESH_LINK not in html and 'data-load-active="false"' in html and "js/emr-load" not in html


def test_a_failed_load_shows_the_reason_and_whom_to_contact(dashboard_html, enrollment, settings):
    settings.SUPPORT_EMAIL = "help@webpt.example"
    failed = load(enrollment, status="failed", finished_at=timezone.now(), failure_reason="The file b.csv is not UTF-8 text.")
    html = dashboard_html()
    assert "Your quality data could not be loaded. The file b.csv is not UTF-8 text." in html
    assert f"mention “data load {failed.pk}”" in html and "mailto:help@webpt.example" in html
    assert REFRESH_LINK not in html
