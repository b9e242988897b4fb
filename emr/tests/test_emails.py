"""The administrator's emails at the end of a load: what they say, where they point, and never the TIN."""

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Designation
from emr.models import DataLoad
from emr.services import data_load_notify
from emr.tests.conftest import TIN, TIN_DASHED, good_row, write_export
from emr.tests.helpers import queue, run_worker


def finished(enrollment, **fields) -> DataLoad:
    now = timezone.now()
    defaults = {"status": "succeeded", "queued_at": now, "started_at": now, "finished_at": now, "rows_done": 1200,
                "rows_total": 1200, "rows_loaded": 1197, "bad_rows": 3}
    return DataLoad.objects.create(enrollment=enrollment, **{**defaults, **fields})


def assert_no_tin(message):
    for text in (message.subject, message.body):
        assert TIN not in text and TIN_DASHED not in text


@pytest.mark.django_db
def test_success_email_gives_the_counts_and_a_link_to_the_dashboard(enrollment, settings):
    settings.SITE_URL = "https://mips.example.org"
    assert data_load_notify(data_load=finished(enrollment)) is True
    [message] = mail.outbox
    assert message.to == ["ada@sunrise-pt.example"]
    assert message.subject == "Your 2021 MIPS quality data has finished loading"
    assert "Hello Ada," in message.body
    assert "Sunrise Physical Therapy's quality data for the 2021 performance year" in message.body
    assert "Rows loaded: 1197\nRows set aside because of a problem: 3" in message.body
    assert f"https://mips.example.org/years/2021/practices/{enrollment.practice_id}/" in message.body
    assert_no_tin(message)


@pytest.mark.django_db
def test_failure_email_says_what_went_wrong_and_what_to_do(enrollment, settings):
    settings.SUPPORT_EMAIL = "help@webpt.example"
    load = finished(enrollment, status="failed", failure_reason="The file b.csv is not UTF-8 text.")
    data_load_notify(data_load=load)
    [message] = mail.outbox
    assert message.subject == "We could not load your 2021 MIPS quality data"
    assert "What went wrong: The file b.csv is not UTF-8 text." in message.body
    assert f'email WebPT MIPS support at help@webpt.example and mention "data load {load.pk}"' in message.body
    assert "you do not need to repeat your set-up" in message.body
    assert_no_tin(message)


@pytest.mark.django_db
def test_the_email_goes_to_the_designated_address_before_sign_up(enrollment):
    Designation.objects.filter(practice=enrollment.practice).update(user=None, accepted_at=None,
                                                                      email="office@sunrise-pt.example")
    data_load_notify(data_load=finished(enrollment))
    assert mail.outbox[0].to == ["office@sunrise-pt.example"]
    assert mail.outbox[0].body.startswith("Hello,")


@pytest.mark.django_db(transaction=True)
def test_a_load_emails_once_when_it_ends_without_the_tin(enrollment, export_dir):
    write_export(export_dir, f"{TIN}.csv", [good_row("E1"), good_row("E2", "999")])
    queue(enrollment)
    run_worker()
    [message] = mail.outbox
    assert message.subject == "Your 2021 MIPS quality data has finished loading"
    assert "Rows loaded: 1\nRows set aside because of a problem: 1" in message.body
    assert_no_tin(message)


@pytest.mark.django_db(transaction=True)
def test_R12_a_mail_server_failure_does_not_fail_the_load(enrollment, export_dir):
    write_export(export_dir, "a.csv", [good_row("E1")])
    load = queue(enrollment)
    with mock.patch("mips_portal.mail.send_mail", side_effect=smtplib.SMTPServerDisconnected("down")):
        run_worker()
    load.refresh_from_db()
    assert load.status == "succeeded" and not mail.outbox
