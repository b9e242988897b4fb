"""Submission as a service: one transaction, one submission, one signal — also under concurrency."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from onboarding import services
from onboarding.models import Signature
from onboarding.selectors import enrollment_with_steps
from onboarding.signals import setup_completed
from onboarding.tests.helpers import complete_steps, step_url, waiver_data, wizard_post
from practices.models import Enrollment


@pytest.fixture
def signals_received():
    received = []

    def receiver(sender, enrollment, user, **kwargs):
        received.append((enrollment.pk, connection.in_atomic_block))

    setup_completed.connect(receiver, dispatch_uid="test-receiver")
    yield received
    setup_completed.disconnect(dispatch_uid="test-receiver")


@pytest.mark.django_db
def test_submission_sends_one_signal_inside_the_transaction(admin_client, enrollment, signals_received):
    complete_steps(admin_client, enrollment, "waiver")
    assert signals_received == [(enrollment.pk, True)]


@pytest.mark.django_db
def test_R1_a_second_submission_is_told_it_was_already_submitted(admin_client, enrollment, signals_received):
    complete_steps(admin_client, enrollment, "baa")
    loaded = enrollment_with_steps(Enrollment.objects.all(), pk=enrollment.pk)
    user = enrollment.practice.designation.user
    data = {k: v for k, v in waiver_data().items() if k != "consent"}
    evidence = services.Evidence("127.0.0.1", "test")
    services.onboarding_submit(enrollment=loaded, user=user, data=data, evidence=evidence)
    with pytest.raises(services.AlreadySubmitted):
        services.onboarding_submit(enrollment=loaded, user=user, data=data, evidence=evidence)
    assert signals_received == [(enrollment.pk, True)]


@pytest.mark.django_db
def test_I13_replayed_final_post_says_already_submitted(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "waiver")
    response = wizard_post(admin_client, enrollment, "waiver", waiver_data(), url_step="waiver")
    page = admin_client.get(response["Location"]).content.decode()
    assert "already submitted" in page


@pytest.mark.django_db
def test_I12_submission_is_refused_when_an_earlier_step_is_incomplete(admin_client, enrollment, signals_received):
    complete_steps(admin_client, enrollment, "baa")
    Signature.objects.filter(document="baa").update(voided_at="2021-06-01T00:00Z", void_reason="test")
    loaded = enrollment_with_steps(Enrollment.objects.all(), pk=enrollment.pk)
    with pytest.raises(services.SetupIncomplete) as error:
        services.onboarding_submit(enrollment=loaded, user=enrollment.practice.designation.user,
                                   data=waiver_data(), evidence=services.Evidence(None, ""))
    assert error.value.problems[0][0] == "baa"
    assert signals_received == []


@pytest.mark.django_db
def test_a_rolled_back_submission_leaves_nothing_submitted(admin_client, enrollment, signals_received):
    complete_steps(admin_client, enrollment, "baa")
    loaded = enrollment_with_steps(Enrollment.objects.all(), pk=enrollment.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.onboarding_submit(enrollment=loaded, user=enrollment.practice.designation.user,
                                   data=waiver_data(), evidence=services.Evidence(None, ""))
        raise RuntimeError("the request failed after submitting")
    enrollment.refresh_from_db()
    assert enrollment.submitted_at is None and not Signature.objects.filter(document="waiver").exists()


@pytest.mark.django_db(transaction=True)
def test_R1_concurrent_double_submission_gives_one_submission_and_one_signal(enrollment, administrator, signals_received):
    client = Client()
    client.force_login(administrator)
    complete_steps(client, enrollment, "baa")
    barrier = threading.Barrier(2)
    statuses = []

    def submit():
        try:
            barrier.wait()
            statuses.append(wizard_post(client, enrollment, "waiver", waiver_data()).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert len(signals_received) == 1
    assert Signature.objects.filter(document="waiver").count() == 1
    assert Enrollment.objects.get(pk=enrollment.pk).submitted_at is not None


@pytest.mark.django_db
def test_reopening_voids_the_waiver_and_makes_the_setup_editable(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "waiver")
    services.onboarding_reopen(enrollment=enrollment, reason="practice asked to fix the address")
    waiver = Signature.objects.get(document="waiver")
    assert waiver.voided_at is not None and "reopened" in waiver.void_reason
    assert admin_client.get(reverse("onboarding:start", args=[2021, enrollment.practice_id]))["Location"] == step_url(enrollment, "waiver")


def sql_statements(context) -> int:
    """Count the statements a request ran, leaving out the savepoints the test's own transaction adds."""
    return len([q for q in context.captured_queries if "SAVEPOINT" not in q["sql"]])


@pytest.mark.django_db
@pytest.mark.parametrize("practices", [1, 50])
def test_each_wizard_request_runs_a_bounded_number_of_queries(admin_client, enrollment, practices):
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Designation
    from onboarding.tests.helpers import EXEMPTIONS, PROFILE, SMALL, TIN, baa_data
    from practices.models import Practice

    for n in range(practices):
        other = Practice.objects.create(name=f"Practice {n}", top_level_admin_email="a@webpt.example")
        Enrollment.objects.create(practice=other, year=enrollment.year)
        Designation.objects.create(practice=other, email=f"admin{n}@example.org")
    complete_steps(admin_client, enrollment, "tin")
    for step in ["profile", "small_practice", "pi_survey", "exemptions", "tin", "baa"]:
        with CaptureQueriesContext(connection) as queries:
            admin_client.get(step_url(enrollment, step))
        assert sql_statements(queries) <= 6, step
    for step, data in [("profile", PROFILE), ("small_practice", SMALL), ("exemptions", EXEMPTIONS), ("tin", TIN), ("baa", baa_data())]:
        with CaptureQueriesContext(connection) as queries:
            assert wizard_post(admin_client, enrollment, step, data).status_code == 302
        assert sql_statements(queries) <= 8, step
