"""The TIN never leaves the form: not in logs, URLs, sessions, task rows or emails (D2–D4)."""

import logging
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from onboarding.tests.helpers import TIN, complete_steps, step_url, wizard_post

# A TIN in either layout, and any free-standing run of nine digits (hex hashes and decimals are not free-standing).
TIN_PATTERNS = [re.compile(r"(?<![0-9A-Za-z.])46-?1234567(?![0-9A-Za-z.])"), re.compile(r"(?<![0-9A-Za-z.-])\d{9}(?![0-9A-Za-z.])")]


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.db.backends", "django.request", "django.security"):
        caplog.set_level(logging.DEBUG, logger=name)
    connection.force_debug_cursor = True  # SQL statements are logged too
    yield caplog
    connection.force_debug_cursor = False


def leaks(text: str) -> list[str]:
    return sorted({m.group(0) for pattern in TIN_PATTERNS for m in pattern.finditer(text)})


@pytest.mark.django_db
def test_D2_whole_journey_with_errors_logs_no_tin(all_logs, enrollment, administrator):
    client = Client()
    client.force_login(administrator)
    complete_steps(client, enrollment, "exemptions")
    wizard_post(client, enrollment, "tin", TIN | {"tin_confirm": "46-1234568"})          # mismatch
    wizard_post(client, enrollment, "tin", TIN | {"tin": "07-1234567"})                   # bad prefix
    client.post(step_url(enrollment, "tin"), {"tin-tin": "461234567", f"setup_{enrollment.pk}-current_step": "nope"})  # tampered
    complete_steps(client, enrollment, "waiver")
    text = "\n".join(f"{r.name} {r.getMessage()} {getattr(r, 'sql', '')} {getattr(r, 'params', '')}" for r in all_logs.records)
    assert all_logs.records, "logging was not captured"
    assert "INSERT INTO" in text, "SQL statements were not captured"
    assert leaks(text) == []


def test_D2_the_leak_detector_finds_a_tin_in_either_layout():
    assert leaks("saved 46-1234567 and 461234567, not 4612345678") == ["46-1234567", "461234567"]


@pytest.mark.django_db
def test_D3_tin_never_in_a_url_session_or_task_row(enrollment, administrator):
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    client = Client()
    client.force_login(administrator)
    responses = []
    for step in ["profile", "small_practice", "pi_survey", "exemptions", "tin", "baa", "waiver"]:
        responses.append(complete_steps(client, enrollment, step))
    for response in responses:
        assert not leaks(response.get("Location", ""))
    for session in Session.objects.all():
        assert not leaks(str(session.get_decoded()))
    for task in DBTaskResult.objects.all():
        assert not leaks(f"{task.args_kwargs} {task.return_value}")


@pytest.mark.django_db
def test_D9_no_email_carries_the_tin(enrollment, administrator, settings, tmp_path):
    # Run queued work at once, so the submission email and the load's outcome email are sent in this test.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMR_EXPORT_DIR = tmp_path
    client = Client()
    client.force_login(administrator)
    complete_steps(client, enrollment, "waiver")
    assert mail.outbox
    for message in mail.outbox:
        assert not leaks(f"{message.subject}\n{message.body}")


@pytest.mark.django_db
def test_D4_error_reports_do_not_contain_posted_values(enrollment, administrator, settings, monkeypatch):
    from onboarding import services

    settings.ADMINS = [("Ops", "ops@example.org")]

    def explode(**kwargs):
        raise RuntimeError("injected failure")

    client = Client(raise_request_exception=False)
    client.force_login(administrator)
    complete_steps(client, enrollment, "exemptions")
    monkeypatch.setattr(services, "onboarding_step_save", explode)
    response = wizard_post(client, enrollment, "tin", TIN)
    assert response.status_code == 500
    (report,) = [m for m in mail.outbox if "ops@example.org" in m.to]
    assert "injected failure" in report.body
    assert not leaks(report.body) and "1234567" not in report.body
