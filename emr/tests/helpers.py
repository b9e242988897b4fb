"""Helpers for the data-load tests."""

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from emr.models import DataLoad
from emr.services import data_load_queue

RUN_TASK = "emr.tasks.data_load_run_task"


def queue(enrollment) -> DataLoad:
    """Queue the enrollment's load as a submission does, and return it."""
    with transaction.atomic():
        return data_load_queue(enrollment=enrollment)


def run_worker() -> None:
    """Run every task that is due, as `manage.py db_worker --batch` does, in this process."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def ready_run_tasks():
    """Return the data-load run tasks waiting to run."""
    return DBTaskResult.objects.filter(task_path=RUN_TASK, status="READY")


def make_due(tasks) -> None:
    """Let time pass for queued tasks: move their run_after to now."""
    tasks.update(run_after=timezone.now())
