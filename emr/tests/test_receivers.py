"""Submission queues the load in its own transaction: one DataLoad and one task, or neither."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from emr.models import DataLoad
from emr.tests.helpers import RUN_TASK
from onboarding.signals import setup_completed
from practices.models import Enrollment


def submit(enrollment):
    setup_completed.send(sender=Enrollment, enrollment=enrollment, user=enrollment.submitted_by)


def test_R6_submission_queues_one_load_and_one_task_with_ids_only(enrollment):
    with transaction.atomic():
        submit(enrollment)
    load = DataLoad.objects.get(enrollment=enrollment)
    [task] = DBTaskResult.objects.filter(task_path=RUN_TASK)
    assert load.status == "queued" and load.queued_at and load.attempts == 0
    assert task.status == "READY" and str(task.id) == load.task_id
    assert task.args_kwargs == {"args": [load.pk, str(load.queue_token)], "kwargs": {}}


def test_a_rolled_back_submission_queues_nothing(enrollment):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(enrollment)
        raise RuntimeError("the submission failed after the signal")
    assert not DataLoad.objects.exists()
    assert not DBTaskResult.objects.filter(task_path=RUN_TASK).exists()


def test_a_second_submission_resets_the_load_and_supersedes_the_first_task(enrollment):
    with transaction.atomic():
        submit(enrollment)
    first = DataLoad.objects.get(enrollment=enrollment)
    DataLoad.objects.filter(pk=first.pk).update(status="failed", failure_reason="x", finished_at=first.queued_at,
                                                attempts=5)
    with transaction.atomic():
        submit(enrollment)
    second = DataLoad.objects.get(enrollment=enrollment)
    assert (second.pk, second.status, second.attempts, second.failure_reason) == (first.pk, "queued", 0, "")
    assert second.queue_token != first.queue_token
    assert DBTaskResult.objects.filter(task_path=RUN_TASK).count() == 2


def test_on_a_non_database_backend_the_task_is_enqueued_only_after_commit(enrollment, settings,
                                                                           django_capture_on_commit_callbacks):
    from django_tasks import task_backends

    settings.TASKS = {**settings.TASKS, "elsewhere": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMR_TASKS_BACKEND = "elsewhere"
    backend = task_backends["elsewhere"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        submit(enrollment)
        assert backend.results == []  # Redis would run it before the submission is visible
    load = DataLoad.objects.get(enrollment=enrollment)
    [result] = backend.results
    assert len(callbacks) == 1 and load.task_id == str(result.id)
    assert result.args == [load.pk, str(load.queue_token)]
    assert not DBTaskResult.objects.filter(task_path=RUN_TASK).exists()
