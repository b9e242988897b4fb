"""The load end to end through the real worker (`db_worker --batch`), on files written by each test."""

import threading
from datetime import timedelta
from unittest import mock

import psycopg2
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from emr import loader
from emr.models import DataLoad, MeasureAggregate, MeasureEvent, RejectedRow
from emr.services import data_load_reap_stale, data_load_run, data_load_watch
from emr.tests.conftest import NPI, OTHER_NPI, TIN, TIN_DASHED, good_row, write_export
from emr.tests.helpers import make_due, queue, ready_run_tasks, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def aggregates(enrollment):
    return {a.measure_id: (a.eligible_population, a.performance_met, a.performance_not_met, a.exclusions,
                           a.exceptions, a.not_reported)
            for a in MeasureAggregate.objects.filter(enrollment=enrollment)}


def events(enrollment):
    return sorted(MeasureEvent.objects.filter(enrollment=enrollment).values_list("encounter_id", "measure_id", "outcome"))


def other_connection():
    """A connection of its own, as another web request or worker would have."""
    db = settings.DATABASES["default"]
    return psycopg2.connect(dbname=connection.settings_dict["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])


def test_the_worker_loads_the_export_and_computes_the_aggregates(enrollment, export_dir):
    write_export(export_dir, "q1.csv", [
        good_row("E1", "182", "performance_met", date="2021-01-04"), good_row("E1", "130", "performance_met"),
        good_row("E2", "182", "performance_not_met"), good_row("E3", "182", "denominator_exclusion"),
    ])
    write_export(export_dir, "q2.csv", [
        good_row("E4", "182", "denominator_exception", npi=OTHER_NPI), good_row("E5", "182", "not_reported",
                                                                                 date="2021-06-30"),
    ])
    load = queue(enrollment)
    run_worker()
    load.refresh_from_db()
    assert (load.status, load.attempts, load.rows_done, load.rows_total, load.rows_loaded, load.bad_rows) == (
        "succeeded", 1, 6, 6, 6, 0)
    assert load.started_at <= load.finished_at and load.heartbeat_at is None and load.failure_reason == ""
    assert load.source_files == ["q1.csv", "q2.csv"]
    assert aggregates(enrollment) == {"182": (5, 1, 1, 1, 1, 1), "130": (1, 1, 0, 0, 0, 0)}
    measure_182 = MeasureAggregate.objects.get(enrollment=enrollment, measure_id="182")
    assert measure_182.performance_rate == 0.5 and measure_182.reporting_rate == 0.8
    assert (str(measure_182.first_service_date), str(measure_182.last_service_date)) == ("2021-01-04", "2021-06-30")
    event = MeasureEvent.objects.get(enrollment=enrollment, encounter_id="E5")
    assert (load.source_files[event.file_no], event.line, event.patient_id, event.clinician_npi) == (
        "q2.csv", 3, "PT0001", NPI)
    task = DBTaskResult.objects.get(id=load.task_id)
    assert (task.status, task.return_value) == ("SUCCESSFUL", "succeeded")


def test_bad_and_repeated_rows_are_recorded_with_file_line_and_reason(enrollment, export_dir):
    write_export(export_dir, "a.csv", [
        good_row("E1", "182"), good_row("E2", "182"), good_row("E1", "130"), good_row("E1", "182"),
        good_row("E3", "999"),
    ])
    write_export(export_dir, "b.csv", [good_row("E2", "182", "performance_not_met"), good_row("E4", date="2022-01-01")])
    load = queue(enrollment)
    run_worker()
    load.refresh_from_db()
    assert (load.status, load.rows_done, load.bad_rows, load.rows_loaded) == ("succeeded", 7, 4, 3)
    assert list(RejectedRow.objects.filter(data_load=load).values_list("file_name", "line", "reason")) == [
        ("a.csv", 5, "repeats the encounter_id and measure_id of line 2"),
        ("a.csv", 6, "measure_id '999' is not one of the supported quality measures"),
        ("b.csv", 2, "repeats the encounter_id and measure_id of line 3 of a.csv"),
        ("b.csv", 3, "date_of_service 2022-01-01 is outside the performance year 2021"),
    ]
    assert events(enrollment) == [("E1", "130", "performance_met"), ("E1", "182", "performance_met"),
                                  ("E2", "182", "performance_met")]


def test_a_row_exported_twice_is_rejected_once(enrollment, export_dir):
    write_export(export_dir, "a.csv", [good_row("E1", "182"), good_row("E1", "182"), good_row("E1", "130")])
    load = queue(enrollment)
    run_worker()
    load.refresh_from_db()
    assert (load.status, load.rows_loaded, load.bad_rows) == ("succeeded", 2, 1)
    assert list(RejectedRow.objects.filter(data_load=load).values_list("line", "reason")) == [
        (3, "repeats the encounter_id and measure_id of line 2")]
    assert events(enrollment) == [("E1", "130", "performance_met"), ("E1", "182", "performance_met")]


def test_R7_a_rerun_replaces_the_data_without_duplicates(enrollment, export_dir):
    path = write_export(export_dir, "a.csv", [good_row("E1", "182"), good_row("E2", "130"), good_row("E9", "000")])
    queue(enrollment)
    run_worker()
    path.unlink()
    write_export(export_dir, "b.csv", [good_row("E1", "182", "performance_not_met"), good_row("E3", "226")])
    load = queue(enrollment)
    run_worker()
    load.refresh_from_db()
    assert (load.status, load.rows_loaded, load.bad_rows) == ("succeeded", 2, 0)
    assert events(enrollment) == [("E1", "182", "performance_not_met"), ("E3", "226", "performance_met")]
    assert aggregates(enrollment) == {"182": (1, 0, 1, 0, 0, 0), "226": (1, 1, 0, 0, 0, 0)}
    assert not RejectedRow.objects.filter(data_load=load).exists()
    # Running the same load again is harmless too: still one copy of each event.
    queue(enrollment)
    run_worker()
    assert MeasureEvent.objects.filter(enrollment=enrollment).count() == 2


def test_a_file_that_cannot_be_read_fails_the_load_with_its_reason_and_no_retry(enrollment, export_dir):
    write_export(export_dir, "a.csv", [good_row("E1")])
    (export_dir / TIN / "2021" / "b.csv").write_bytes(b"encounter_id,date_of_service\n\xff\xfe")
    load = queue(enrollment)
    run_worker()
    load.refresh_from_db()
    assert load.status == "failed" and load.attempts == 1 and load.finished_at
    assert load.failure_reason.startswith("The file b.csv is not UTF-8 text")
    assert not ready_run_tasks().exists()
    assert not MeasureEvent.objects.filter(enrollment=enrollment).exists()
    assert DBTaskResult.objects.get(id=load.task_id).return_value == "failed"


def test_a_missing_export_fails_the_load_saying_so(enrollment, export_dir):
    load = queue(enrollment)
    run_worker()
    load.refresh_from_db()
    assert load.status == "failed" and not ready_run_tasks().exists()
    assert load.failure_reason == ("No export from WebPT was found for this practice and 2021: "
                                   "the practice's quality data has not been delivered yet.")


def test_R7_a_temporary_error_is_retried_after_a_back_off_and_then_succeeds(enrollment, export_dir, settings):
    settings.EMR_LOAD_RETRY_BASE_SECONDS = 30
    write_export(export_dir, "a.csv", [good_row("E1"), good_row("E2")])
    real = loader._aggregates_replace
    calls = []

    def fail_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    load = queue(enrollment)
    before = timezone.now()
    with mock.patch.object(loader, "_aggregates_replace", fail_once):
        run_worker()  # attempt 1 fails; attempt 2 is not due yet, so the batch ends
        load.refresh_from_db()
        [retry] = ready_run_tasks()
        assert (load.status, load.attempts, load.last_error) == ("queued", 1, "OperationalError")
        assert load.next_attempt_at >= before + timedelta(seconds=30) and retry.run_after == load.next_attempt_at
        assert retry.args_kwargs["args"] == [load.pk, str(load.queue_token)]
        assert not MeasureEvent.objects.filter(enrollment=enrollment).exists()
        make_due(ready_run_tasks())
        run_worker()
    load.refresh_from_db()
    assert (load.status, load.attempts, load.rows_loaded, load.next_attempt_at) == ("succeeded", 2, 2, None)
    assert MeasureEvent.objects.filter(enrollment=enrollment).count() == 2


def test_R7_temporary_errors_fail_the_load_after_the_last_attempt(enrollment, export_dir, settings):
    settings.EMR_LOAD_MAX_ATTEMPTS = 2
    settings.EMR_LOAD_RETRY_BASE_SECONDS = 10
    write_export(export_dir, "a.csv", [good_row("E1")])
    load = queue(enrollment)
    with mock.patch.object(loader, "_aggregates_replace", side_effect=OperationalError("the database is away")):
        run_worker()
        load.refresh_from_db()
        first_delay = load.next_attempt_at
        make_due(ready_run_tasks())
        run_worker()
    load.refresh_from_db()
    assert (load.status, load.attempts) == ("failed", 2) and first_delay
    assert load.failure_reason == ("The load was interrupted by a temporary problem 2 times in a row "
                                   "(last: OperationalError), so it has stopped trying.")
    assert not ready_run_tasks().exists()
    assert [m.subject for m in mail.outbox] == ["We could not load your 2021 MIPS quality data"]


def test_R7_back_off_doubles_with_each_attempt(enrollment, export_dir, settings):
    settings.EMR_LOAD_RETRY_BASE_SECONDS = 30
    write_export(export_dir, "a.csv", [good_row("E1")])
    load = queue(enrollment)
    delays = []
    with mock.patch.object(loader, "_aggregates_replace", side_effect=OperationalError("away")):
        for _ in range(3):
            started = timezone.now()
            make_due(ready_run_tasks())
            run_worker()
            load.refresh_from_db()
            delays.append((load.next_attempt_at - started).total_seconds())
    assert [round(d, -1) for d in delays] == [30, 60, 120]


def test_R8_a_running_load_whose_worker_died_is_requeued_and_then_loads(enrollment, export_dir):
    write_export(export_dir, "a.csv", [good_row("E1")])
    load = queue(enrollment)
    # What a SIGKILLed worker leaves behind: the load and its task "running", heartbeats stopped long ago.
    long_ago = timezone.now() - timedelta(hours=1)  # the lease is 5 minutes
    DataLoad.objects.filter(pk=load.pk).update(status="running", attempts=1, started_at=long_ago, heartbeat_at=long_ago)
    DBTaskResult.objects.filter(id=load.task_id).update(status="RUNNING", started_at=long_ago)
    dead_task_id = load.task_id
    call_command("reap_stale_loads", stdout=open("/dev/null", "w"))
    load.refresh_from_db()
    assert (load.status, load.attempts, load.last_error) == ("queued", 1, "the worker stopped responding")
    assert DBTaskResult.objects.get(id=dead_task_id).status == "FAILED"
    make_due(ready_run_tasks())
    run_worker()
    load.refresh_from_db()
    assert (load.status, load.attempts) == ("succeeded", 2)


def test_R8_a_load_with_a_recent_heartbeat_is_not_reaped(enrollment, export_dir):
    load = queue(enrollment)
    now = timezone.now()
    DataLoad.objects.filter(pk=load.pk).update(status="running", attempts=1, started_at=now - timedelta(hours=1),
                                               heartbeat_at=now)
    assert data_load_reap_stale() == 0
    assert DataLoad.objects.get(pk=load.pk).status == "running"


def test_R8_the_watch_task_requeues_a_dead_attempt_and_keeps_watching_a_live_one(enrollment, export_dir):
    load = queue(enrollment)
    now = timezone.now()
    DataLoad.objects.filter(pk=load.pk).update(status="running", attempts=1, started_at=now, heartbeat_at=now)
    assert data_load_watch(data_load_id=load.pk, queue_token=str(load.queue_token)) == "watching"
    assert DBTaskResult.objects.filter(task_path="emr.tasks.data_load_watch_task", status="READY").count() == 1
    DataLoad.objects.filter(pk=load.pk).update(heartbeat_at=now - timedelta(hours=1))
    assert data_load_watch(data_load_id=load.pk, queue_token=str(load.queue_token)) == "reaped"
    assert DataLoad.objects.get(pk=load.pk).status == "queued"
    assert data_load_watch(data_load_id=load.pk, queue_token=str(load.queue_token)) == "finished"


def test_a_crash_mid_load_leaves_the_previous_data_intact(enrollment, export_dir):
    path = write_export(export_dir, "a.csv", [good_row("E1", "182"), good_row("E2", "182")])
    queue(enrollment)
    run_worker()
    before = (events(enrollment), aggregates(enrollment))
    path.unlink()
    write_export(export_dir, "b.csv", [good_row("E7", "226")] + [good_row(f"F{n}", "130") for n in range(500)])
    load = queue(enrollment)
    with mock.patch.object(loader, "_rejected_replace", side_effect=RuntimeError("the worker fell over")):
        run_worker()
    load.refresh_from_db()
    assert load.status == "failed"
    assert load.failure_reason == f"An unexpected error stopped the load. WebPT support has been alerted (data load {load.pk})."
    assert (events(enrollment), aggregates(enrollment)) == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE %s", [f"emr_measureevent_e{enrollment.pk}_%"])
        assert cursor.fetchone()[0] == 0  # the half-built partition went with the rollback


def test_progress_is_visible_to_other_connections_while_the_load_runs(enrollment, export_dir, fast_settings):
    write_export(export_dir, "a.csv", [good_row(f"E{n}") for n in range(300)])
    load = queue(enrollment)
    seen = {}
    real = loader._primary_key_add

    def look_from_outside(cursor, *args, **kwargs):
        # Here the rows are copied but the load's transaction is still open.
        with other_connection() as outside, outside.cursor() as other:
            for _ in range(200):
                other.execute("SELECT status, rows_done, rows_total FROM emr_dataload WHERE id = %s", [load.pk])
                seen["load"] = other.fetchone()
                if seen["load"][1] == 300:
                    break
                threading.Event().wait(0.05)
            other.execute("SELECT count(*) FROM emr_measureevent WHERE enrollment_id = %s", [enrollment.pk])
            seen["events"] = other.fetchone()[0]
        return real(cursor, *args, **kwargs)

    with mock.patch.object(loader, "_primary_key_add", look_from_outside):
        run_worker()
    assert seen == {"load": ("running", 300, 300), "events": 0}
    assert DataLoad.objects.get(pk=load.pk).status == "succeeded"


def test_an_attempt_taken_over_meanwhile_writes_nothing(enrollment, export_dir):
    write_export(export_dir, "a.csv", [good_row("E1")])
    load = queue(enrollment)
    real = loader._aggregates_replace

    def requeued_meanwhile(*args, **kwargs):
        with other_connection() as outside, outside.cursor() as other:
            other.execute("UPDATE emr_dataload SET queue_token = gen_random_uuid(), status = 'queued' WHERE id = %s",
                          [load.pk])
        return real(*args, **kwargs)

    with mock.patch.object(loader, "_aggregates_replace", requeued_meanwhile):
        assert data_load_run(data_load_id=load.pk, queue_token=str(load.queue_token)) == "superseded"
    assert DataLoad.objects.get(pk=load.pk).status == "queued"
    assert not MeasureEvent.objects.filter(enrollment=enrollment).exists()
    assert not MeasureAggregate.objects.filter(enrollment=enrollment).exists()


def test_a_task_with_an_old_token_does_nothing(enrollment, export_dir):
    write_export(export_dir, "a.csv", [good_row("E1")])
    old = queue(enrollment)
    queue(enrollment)
    assert data_load_run(data_load_id=old.pk, queue_token=str(old.queue_token)) == "skipped"
    assert DataLoad.objects.get(pk=old.pk).status == "queued"


def test_D2_the_tin_is_in_no_log_task_row_or_reason(enrollment, export_dir, caplog):
    caplog.set_level("DEBUG")
    write_export(export_dir, f"export-{TIN}.csv", [good_row("E1"), good_row("E2", "999")])
    (export_dir / TIN / "2021" / "z.csv").write_bytes(b"encounter_id\n\xff")
    queue(enrollment)
    with mock.patch.object(loader, "_aggregates_replace", side_effect=OperationalError(f"boom {TIN}")):
        run_worker()
    make_due(ready_run_tasks())
    run_worker()
    texts = [caplog.text, *DataLoad.objects.values_list("failure_reason", "last_error", "source_files")]
    texts += [str(t) for t in DBTaskResult.objects.values_list("args_kwargs", "return_value", "traceback")]
    texts += list(RejectedRow.objects.values_list("file_name", flat=True))
    assert "data load" in caplog.text and DataLoad.objects.get().status == "failed"
    assert all(TIN not in str(text) and TIN_DASHED not in str(text) for text in texts)
