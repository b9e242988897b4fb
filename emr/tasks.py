"""Background tasks of the data load. They take ids only (never a TIN or personal data) and call a service."""

from django_tasks import task


@task()
def data_load_run_task(data_load_id: int, queue_token: str) -> str:
    """Run one attempt of a data load; return its outcome (succeeded, failed, retrying, superseded, skipped)."""
    from emr.services import data_load_run

    return data_load_run(data_load_id=data_load_id, queue_token=queue_token)


@task()
def data_load_watch_task(data_load_id: int, queue_token: str) -> str:
    """Check on a running attempt after its lease; re-queue it if its worker has died."""
    from emr.services import data_load_watch

    return data_load_watch(data_load_id=data_load_id, queue_token=queue_token)
