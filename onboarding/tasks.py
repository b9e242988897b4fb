"""Background work of the set-up: the "set-up submitted" email, retried when the mail server is down."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mips_portal.mail import email_send, site_url
from practices.models import Enrollment

EMAIL_ATTEMPTS = 5


@task()
def setup_submitted_email_send(enrollment_id: int, attempt: int = 1) -> bool:
    """Email the administrator that the set-up was submitted and what happens next; retry with back-off on failure."""
    enrollment = Enrollment.objects.select_related("practice", "year", "submitted_by").get(pk=enrollment_id)
    user = enrollment.submitted_by
    dashboard = site_url(reverse("practices:dashboard", args=[enrollment.year.year, enrollment.practice_id]))
    sent = email_send(to=user.email, template="setup_submitted", context={"enrollment": enrollment, "user": user, "dashboard_url": dashboard})
    if not sent and attempt < EMAIL_ATTEMPTS:
        setup_submitted_email_send.using(run_after=timezone.now() + timedelta(minutes=2**attempt)).enqueue(enrollment_id, attempt + 1)
    return sent
