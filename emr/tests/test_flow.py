"""The whole story: the administrator submits the set-up in the wizard, a worker loads the export, the dashboard
and the mailbox show it."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Designation, User
from emr.models import DataLoad, MeasureAggregate
from emr.tests.conftest import TIN, TIN_DASHED
from emr.tests.helpers import run_worker
from onboarding.tests.helpers import complete_steps
from practices.models import Enrollment, PerformanceYear, Practice


@pytest.mark.django_db(transaction=True)
def test_R6_submitting_the_set_up_queues_runs_and_shows_the_load(client, export_dir):
    year, _ = PerformanceYear.objects.get_or_create(year=2021)
    practice = Practice.objects.create(name="Sunrise Physical Therapy", top_level_admin_email="mips-admin@webpt.example")
    enrollment = Enrollment.objects.create(practice=practice, year=year)
    user = User.objects.create_user("ada@sunrise-pt.example", "correct horse battery staple",
                                    first_name="Ada", last_name="Lovelace")
    Designation.objects.create(practice=practice, email=user.email, user=user, accepted_at=timezone.now())
    call_command("generate_emr_export", "--tin", TIN_DASHED, "--year", "2021", "--rows", "900", "--bad-rows", "9",
                 stdout=open("/dev/null", "w"))
    client.force_login(user)
    dashboard = f"/years/2021/practices/{practice.pk}/"

    complete_steps(client, enrollment, "waiver")  # the wizard types the TIN 46-1234567
    load = DataLoad.objects.get(enrollment=enrollment)
    assert load.status == "queued"
    assert "Your data load is queued and will start shortly." in client.get(dashboard).content.decode()

    run_worker()
    load.refresh_from_db()
    assert (load.status, load.rows_done, load.bad_rows, load.rows_loaded) == ("succeeded", 900, 9, 891)
    assert sum(MeasureAggregate.objects.filter(enrollment=enrollment).values_list("eligible_population", flat=True)) == 891
    page = client.get(dashboard).content.decode()
    assert "Your quality data is loaded: 891 rows." in page and "900 of 900 rows (100%)" in page
    subjects = [m.subject for m in mail.outbox]
    assert "Your 2021 MIPS quality data has finished loading" in subjects and len(subjects) == 2
    for message in mail.outbox:
        assert message.to == [user.email]
        assert TIN not in message.body + message.subject and TIN_DASHED not in message.body + message.subject
