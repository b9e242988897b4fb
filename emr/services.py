"""Writes of the EMR data load: queue it, run an attempt, retry or fail it, reap loads of dead workers, email.

Status: queued → running → succeeded | failed. A temporary error (the database went away, a lock was busy) puts a
running load back to queued with a back-off, up to EMR_LOAD_MAX_ATTEMPTS attempts; a data error fails it at once.
Every enqueue gets a new `queue_token`: a task whose token is no longer the load's does nothing, so duplicates,
superseded attempts and reaped workers can never write over a newer attempt.
"""

import logging
import time
import traceback
import uuid
from datetime import timedelta

import psycopg2
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from accounts.models import Designation
from emr import loader
from emr.conf import setting
from emr.models import DataLoad
from emr.parsing import LoadTally
from emr.sources import SourceDataError, source_for
from mips_portal.mail import email_send, site_url
from practices.models import Enrollment

logger = logging.getLogger(__name__)

TEMPORARY_ERRORS = (OperationalError, InterfaceError, psycopg2.OperationalError, psycopg2.InterfaceError,
                    loader.LoadBusy)
UNEXPECTED_FAILURE = "An unexpected error stopped the load. WebPT support has been alerted (data load {id})."
RETRIES_EXHAUSTED = ("The load was interrupted by a temporary problem {attempts} times in a row "
                     "(last: {error}), so it has stopped trying.")
Status = DataLoad.Status


class DataLoadNotQueueable(Exception):
    """The load cannot be queued now (set-up not submitted, or an attempt is running); the message says why."""


def data_load_queue(*, enrollment: Enrollment) -> DataLoad:
    """Create or reset the enrollment's load as queued and enqueue it, in the caller's transaction."""
    with transaction.atomic():
        load = DataLoad.objects.select_for_update().filter(enrollment=enrollment).first()
        load = load or DataLoad(enrollment=enrollment, queued_at=timezone.now())
        _reset(load)
        load.save()
        _enqueue_run(load, run_after=None)
    return load


def data_load_requeue(*, enrollment: Enrollment) -> DataLoad:
    """Queue the enrollment's load again from attempt 1 (staff action); refused while an attempt is alive."""
    if not enrollment.is_submitted:
        raise DataLoadNotQueueable("The set-up has not been submitted, so there is nothing to load yet.")
    with transaction.atomic():
        load = DataLoad.objects.select_for_update().filter(enrollment=enrollment).first()
        if load is not None and load.status == Status.RUNNING and not _is_stale(load, timezone.now()):
            raise DataLoadNotQueueable(
                "The load is running. Re-queue it after it finishes, or after "
                f"{setting('EMR_LOAD_LEASE_SECONDS') // 60} minutes without progress if its worker has died."
            )
        if load is not None and load.status == Status.RUNNING:
            _task_mark_abandoned(load)
        return data_load_queue(enrollment=enrollment)


def data_load_run(*, data_load_id: int, queue_token: str) -> str:
    """Run one attempt of a load; return what happened: succeeded, failed, retrying, superseded or skipped."""
    data_load_reap_stale()
    load = _claim(data_load_id, uuid.UUID(queue_token))
    if load is None:
        return "skipped"
    tally = LoadTally(keep=setting("EMR_LOAD_REJECTED_ROWS_KEPT"))
    started = time.monotonic()
    try:
        _attempt(load, tally)
    except SourceDataError as exc:
        return _fail(load, reason=str(exc))
    except loader.LoadSuperseded:
        logger.info("data load %s: attempt %s superseded by a newer one; stopped", load.pk, load.attempts)
        return "superseded"
    except TEMPORARY_ERRORS as exc:
        return _retry_or_fail(load, error=exc)
    except Exception as exc:
        logger.error("data load %s failed unexpectedly: %s\n%s", load.pk, exc.__class__.__name__, _frames(exc))
        return _fail(load, reason=UNEXPECTED_FAILURE.format(id=load.pk))
    logger.info("data load %s succeeded in %.1fs", load.pk, time.monotonic() - started)
    data_load_notify(data_load=load)
    return "succeeded"


def data_load_reap_stale() -> int:
    """Re-queue (or fail, after the last attempt) running loads silent for longer than the lease; return how many."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=setting("EMR_LOAD_LEASE_SECONDS"))
    with transaction.atomic():
        stale = list(
            DataLoad.objects.select_for_update(skip_locked=True)
            .filter(status=Status.RUNNING)
            .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff))
        )
        for load in stale:
            logger.warning("data load %s: no heartbeat since %s; its worker is presumed dead", load.pk, load.heartbeat_at)
            _task_mark_abandoned(load)
            _retry_or_fail_locked(load, error="the worker stopped responding")
    return len(stale)


def data_load_watch(*, data_load_id: int, queue_token: str) -> str:
    """Check on a running attempt: reap it if its lease expired, else look again later; return what was done."""
    load = DataLoad.objects.filter(pk=data_load_id, queue_token=queue_token, status=Status.RUNNING).first()
    if load is None:
        return "finished"
    now = timezone.now()
    if _is_stale(load, now):
        data_load_reap_stale()
        return "reaped"
    _enqueue_watch(load, now=load.heartbeat_at or now)
    return "watching"


def data_load_notify(*, data_load: DataLoad) -> bool:
    """Email the practice's administrator that the load succeeded or failed; return False if it was not sent."""
    data_load.refresh_from_db()
    enrollment = Enrollment.objects.select_related("practice", "year").get(pk=data_load.enrollment_id)
    designation = Designation.objects.select_related("user").filter(practice_id=enrollment.practice_id).first()
    if designation is None:
        logger.warning("data load %s: the practice has no designated administrator to email", data_load.pk)
        return False
    user = designation.user
    context = {
        "data_load": data_load,
        "practice_name": enrollment.practice.name,
        "year": enrollment.year.year,
        "first_name": user.first_name if user else "",
        "dashboard_url": site_url(reverse("practices:dashboard", args=[enrollment.year.year, enrollment.practice_id])),
    }
    template = "data_load_succeeded" if data_load.status == Status.SUCCEEDED else "data_load_failed"
    try:
        sent = email_send(to=user.email if user else designation.email, template=template, context=context)
    except Exception as exc:  # noqa: BLE001 - an email must never undo or fail a finished load
        logger.warning("data load %s: %s email failed: %s", data_load.pk, template, exc.__class__.__name__)
        sent = False
    return sent


def _reset(load: DataLoad) -> None:
    load.status = Status.QUEUED
    load.queued_at = timezone.now()
    load.queue_token = uuid.uuid4()
    load.attempts = 0
    load.rows_total = None
    load.rows_done = load.bad_rows = load.rows_loaded = 0
    load.failure_reason = load.last_error = ""
    load.started_at = load.finished_at = load.heartbeat_at = load.next_attempt_at = None


def _claim(data_load_id: int, queue_token: uuid.UUID) -> DataLoad | None:
    now = timezone.now()
    with transaction.atomic():
        claimed = DataLoad.objects.filter(pk=data_load_id, queue_token=queue_token, status=Status.QUEUED).update(
            status=Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1,
            next_attempt_at=None, rows_done=0, bad_rows=0,
        )
        if not claimed:
            return None
        load = DataLoad.objects.select_related("enrollment__year", "enrollment__tax_identifier").get(pk=data_load_id)
        _enqueue_watch(load, now=now)
    logger.info("data load %s: attempt %s started", load.pk, load.attempts)
    return load


def _attempt(load: DataLoad, tally: LoadTally) -> None:
    source = source_for(load.enrollment)
    files = source.files()
    total = source.row_total(files)
    DataLoad.objects.filter(pk=load.pk, queue_token=load.queue_token).update(
        rows_total=total, source_files=[f.name for f in files]
    )

    def record_success() -> None:
        updated = DataLoad.objects.filter(pk=load.pk, queue_token=load.queue_token, status=Status.RUNNING).update(
            status=Status.SUCCEEDED, finished_at=timezone.now(), heartbeat_at=None, rows_done=tally.rows,
            rows_total=tally.rows, bad_rows=tally.bad, rows_loaded=tally.rows - tally.bad, failure_reason="",
            last_error="",
        )
        if updated != 1:
            raise loader.LoadSuperseded

    with loader.Heartbeat(data_load=load, tally=tally) as heartbeat:
        loader.events_load(data_load=load, files=files, year=load.enrollment.year.year, tally=tally,
                           heartbeat=heartbeat, record_success=record_success)


def _fail(load: DataLoad, *, reason: str) -> str:
    with transaction.atomic():
        failed = _fail_locked(load, reason=reason)
    if failed:
        logger.warning("data load %s failed after %s attempt(s)", load.pk, load.attempts)
        data_load_notify(data_load=load)
    return "failed" if failed else "superseded"


def _fail_locked(load: DataLoad, *, reason: str) -> bool:
    return bool(DataLoad.objects.filter(pk=load.pk, queue_token=load.queue_token, status=Status.RUNNING).update(
        status=Status.FAILED, finished_at=timezone.now(), heartbeat_at=None, next_attempt_at=None,
        failure_reason=reason[:500],
    ))


def _retry_or_fail(load: DataLoad, *, error: BaseException) -> str:
    logger.warning("data load %s: temporary error on attempt %s: %s", load.pk, load.attempts, error.__class__.__name__)
    connection.close_if_unusable_or_obsolete()  # a broken connection is replaced by a fresh one
    try:
        with transaction.atomic():
            outcome = _retry_or_fail_locked(load, error=error.__class__.__name__)
    except DatabaseError as exc:
        # The database is still away: the load stays "running" without heartbeats, and the reaper re-queues it.
        logger.warning("data load %s: could not schedule a retry (%s); left to the reaper", load.pk,
                       exc.__class__.__name__)
        return "retrying"
    return outcome


def _retry_or_fail_locked(load: DataLoad, *, error: str) -> str:
    """Inside a transaction: queue the next attempt after its back-off, or fail the load after the last one."""
    if load.attempts >= setting("EMR_LOAD_MAX_ATTEMPTS"):
        reason = RETRIES_EXHAUSTED.format(attempts=load.attempts, error=error)
        if _fail_locked(load, reason=reason):
            transaction.on_commit(lambda: data_load_notify(data_load=load))
            return "failed"
        return "superseded"
    delay = min(setting("EMR_LOAD_RETRY_BASE_SECONDS") * 2 ** max(0, load.attempts - 1),
                setting("EMR_LOAD_RETRY_MAX_SECONDS"))
    run_after = timezone.now() + timedelta(seconds=delay)
    new_token = uuid.uuid4()
    requeued = DataLoad.objects.filter(pk=load.pk, queue_token=load.queue_token, status=Status.RUNNING).update(
        status=Status.QUEUED, queue_token=new_token, next_attempt_at=run_after, heartbeat_at=None,
        last_error=error[:200],
    )
    if not requeued:
        return "superseded"
    load.queue_token = new_token
    _enqueue_run(load, run_after=run_after)
    logger.info("data load %s: attempt %s will be retried after %ss", load.pk, load.attempts + 1, delay)
    return "retrying"


def _is_stale(load: DataLoad, now) -> bool:
    last_sign = load.heartbeat_at or load.started_at or load.queued_at
    return last_sign < now - timedelta(seconds=setting("EMR_LOAD_LEASE_SECONDS"))


def _enqueue_run(load: DataLoad, *, run_after) -> None:
    from emr.tasks import data_load_run_task

    _enqueue(data_load_run_task, load, run_after=run_after, record_id=True)


def _enqueue_watch(load: DataLoad, *, now) -> None:
    from emr.tasks import data_load_watch_task

    # A little after the lease would expire, so a live attempt has always beaten by then.
    run_after = now + timedelta(seconds=setting("EMR_LOAD_LEASE_SECONDS") + setting("EMR_LOAD_HEARTBEAT_SECONDS") * 5)
    _enqueue(data_load_watch_task, load, run_after=run_after, record_id=False)


def _enqueue(task, load: DataLoad, *, run_after, record_id: bool) -> None:
    """Enqueue a task with ids only; in this transaction on a database backend, else once it commits."""
    configured = task.using(backend=setting("EMR_TASKS_BACKEND"), run_after=run_after)
    args = (load.pk, str(load.queue_token))
    token = load.queue_token

    def enqueue() -> None:
        result = configured.enqueue(*args)
        if record_id:
            load.task_id = str(result.id)
            DataLoad.objects.filter(pk=load.pk, queue_token=token).update(task_id=load.task_id)

    if isinstance(configured.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)  # Redis cannot see our transaction: queue only what has committed


def _task_mark_abandoned(load: DataLoad) -> None:
    """Mark the dead attempt's task as failed, so it does not show as running for ever in the tasks admin."""
    if load.task_id:
        DBTaskResult.objects.filter(id=load.task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now(), exception_class_path="emr.loader.LoadSuperseded",
            traceback="Its worker stopped sending heartbeats; the data load was re-queued by the reaper.",
        )


def _frames(exc: BaseException) -> str:
    # Where it happened, without the message or local values (either could hold a path with the TIN).
    return "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
