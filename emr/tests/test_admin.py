"""Staff see data loads read-only with their rejected rows, and re-queue them through the service."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from accounts.tests.mfa import verified_staff_client
from emr.models import DataLoad, RejectedRow
from emr.tests.helpers import RUN_TASK

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    return verified_staff_client(User.objects.create_superuser("staff@webpt.example", "a long staff pass phrase"), client)


def failed_load(enrollment) -> DataLoad:
    now = timezone.now()
    load = DataLoad.objects.create(enrollment=enrollment, status="failed", queued_at=now, finished_at=now, attempts=5,
                                   failure_reason="The load was interrupted by a temporary problem 5 times in a row")
    RejectedRow.objects.create(data_load=load, file_name="q1.csv", line=12, reason="encounter_id is empty")
    return load


def test_the_change_page_shows_the_load_and_its_rejected_rows_read_only(staff_client, enrollment):
    load = failed_load(enrollment)
    html = staff_client.get(f"/admin/emr/dataload/{load.pk}/change/").content.decode()
    assert "interrupted by a temporary problem 5 times" in html
    assert "q1.csv" in html and "encounter_id is empty" in html
    assert 'name="_save"' not in html


def test_R7_requeue_queues_the_load_again_from_attempt_one(staff_client, enrollment):
    load = failed_load(enrollment)
    response = staff_client.post("/admin/emr/dataload/", {"action": "requeue", "_selected_action": [load.pk]},
                                 follow=True)
    load.refresh_from_db()
    assert (load.status, load.attempts, load.failure_reason) == ("queued", 0, "")
    assert DBTaskResult.objects.filter(task_path=RUN_TASK, status="READY").count() == 1
    assert "Data loads queued: 1." in response.content.decode()


def test_requeue_is_refused_while_an_attempt_is_alive(staff_client, enrollment):
    now = timezone.now()
    load = DataLoad.objects.create(enrollment=enrollment, status="running", queued_at=now, started_at=now,
                                   heartbeat_at=now, queue_token="6f1c5d0e-8d7c-4b1a-9d7e-0f7c1b2a3c4d", attempts=1)
    response = staff_client.post("/admin/emr/dataload/", {"action": "requeue", "_selected_action": [load.pk]},
                                 follow=True)
    assert "The load is running." in response.content.decode()
    assert DataLoad.objects.get(pk=load.pk).status == "running"
    assert not DBTaskResult.objects.filter(task_path=RUN_TASK).exists()
