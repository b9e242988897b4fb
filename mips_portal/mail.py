"""Sending the portal's emails: plain text from templates, absolute links from SITE_URL, failures reported not raised."""

import logging
import smtplib
import socket

from django.conf import settings
from django.core.mail import send_mail
from django.template import Context, engines

logger = logging.getLogger("mips_portal.mail")


def site_url(path: str) -> str:
    """Return an absolute link to a path of this portal (emails never trust the Host header)."""
    return settings.SITE_URL + path


def email_send(*, to: str, template: str, context: dict) -> bool:
    """Send `templates/emails/<template>.txt` (first line is the subject); return False if the mail server failed."""
    context = {"SITE_NAME": settings.SITE_NAME, "SUPPORT_EMAIL": settings.SUPPORT_EMAIL, "SITE_URL": settings.SITE_URL, **context}
    subject, _, body = _render_plain_text(f"emails/{template}.txt", context).lstrip().partition("\n")
    try:
        send_mail(subject.strip(), body.lstrip("\n"), None, [to])
    except (smtplib.SMTPException, socket.error) as exc:
        # The address is personal data and stays out of the log; the template names which email failed.
        logger.warning("email %s could not be sent: %s", template, exc.__class__.__name__)
        return False
    return True


def _render_plain_text(name: str, context: dict) -> str:
    """Render a plain-text email without HTML escaping: a text/plain body is never interpreted as HTML, so a name is
    written as typed (O'Brien, Smith & Jones), not as O&#x27;Brien or Smith &amp; Jones."""
    return engines["django"].engine.get_template(name).render(Context(context, autoescape=False))
